// PostgreSQL implementation of the Db seam on `pg`: a pool, `?` placeholders rewritten to $n, int8 read as numbers.
import pg from 'pg';
import type { Capabilities, Db, RunResult, SqlValue } from '../db.ts';
import { checkpointInBackground } from './postgres-checkpoint.ts';
import { postgresLocks } from './postgres-locks.ts';
import { postgresPartitions } from './postgres-partitions.ts';
import { postgresSchema } from './postgres-schema.ts';
import { postgresRollupWrites } from './postgres-writes.ts';

const capabilities: Capabilities = {
  dialect: 'postgres',
  skipLocked: true,
  concurrentWriters: true,
  advisoryLocks: true,
  partitions: true,
  maxParams: 65_535,
  ilike: true,
  rowLocks: true,
};

// Epoch milliseconds and counts fit a double exactly; reading them as numbers keeps one code path for both dialects.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

const rewritten = new Map<string, string>();
/** `a = ? AND b = ?` -> `a = $1 AND b = $2`. SQL in this project never holds a literal question mark. */
export function toPgPlaceholders(sql: string): string {
  let out = rewritten.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (rewritten.size > 2000) rewritten.clear();
    rewritten.set(sql, out);
  }
  return out;
}

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((v) =>
    typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Uint8Array ? Buffer.from(v) : v,
  );
}

interface Queryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
  query(text: string): Promise<pg.QueryResult>;
  query(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult>;
}

/**
 * Statements run as named prepared statements: each connection parses (and plans) a statement once and then
 * only binds values. The repositories use few distinct statement shapes, so this pays: multi-row INSERTs with
 * thousands of parameters are parsed once per connection instead of per call. Past the cap, statements run
 * unnamed (a burst of one-off SQL must not grow every connection's memory without bound).
 */
const statementNames = new Map<string, string>();
const maxNamedStatements = 2000;

function queryConfig(sql: string, params: readonly SqlValue[] | undefined): pg.QueryConfig {
  const text = toPgPlaceholders(sql);
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < maxNamedStatements) {
    name = `ct${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name ? { name, text, values: bind(params) } : { text, values: bind(params) };
}

/** A prepared statement whose tables changed shape under it (another process migrated): run it unnamed. */
async function query(q: Queryable, sql: string, params: readonly SqlValue[] | undefined) {
  const config = queryConfig(sql, params);
  try {
    return await q.query(config);
  } catch (err) {
    if (!config.name || (err as { code?: string }).code !== '0A000') throw err;
    return q.query({ text: config.text, values: config.values });
  }
}

/** Rows fetched per round trip by `each`. */
const eachBatch = 5000;

class PgHandle implements Db {
  readonly capabilities = capabilities;
  readonly locks = postgresLocks;
  readonly schema = postgresSchema;
  readonly partitions = postgresPartitions;
  readonly rollupWrites = postgresRollupWrites;
  readonly checkpointInBackground = checkpointInBackground;
  constructor(
    protected readonly q: Queryable,
    private readonly begin: <T>(fn: (tx: Db) => Promise<T>) => Promise<T>,
  ) {}
  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await query(this.q, sql, params)).rows as T[];
  }
  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  each(sql: string, params: readonly SqlValue[] | undefined, onRow: (row: unknown[]) => void): Promise<void> {
    // A cursor lives in a transaction: the rows come in batches, never all at once.
    return this.transaction(async (tx) => {
      const q = (tx as PgHandle).q;
      await q.query({
        text: `DECLARE calltrove_each NO SCROLL CURSOR FOR ${toPgPlaceholders(sql)}`,
        values: bind(params),
      });
      for (;;) {
        const batch = await q.query({ text: `FETCH ${eachBatch} FROM calltrove_each`, rowMode: 'array' });
        for (const row of batch.rows) onRow(row as unknown[]);
        if (batch.rows.length < eachBatch) break;
      }
      await q.query('CLOSE calltrove_each');
    });
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return { changes: (await query(this.q, sql, params)).rowCount ?? 0 };
  }
  async exec(sql: string): Promise<void> {
    await this.q.query(sql);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.begin(fn);
  }
  async close(): Promise<void> {}
}

/**
 * Connections per process. A collector runs `workers` (default 8) saves at once, each holding a connection for
 * its transaction; the webhook's inbox writes, the job loop's planning and claims, and the leader's lock
 * connection need their own, so a webhook never waits behind a full pool (Graph wants its answer within 3 s).
 * Three collectors and a dashboard server stay well under PostgreSQL's default max_connections (100).
 */
export const defaultPoolSize = 16;

/** `?pool_size=N` in the database URL sets the pool size; it is calltrove's, not the server's, so it is taken out. */
export function poolSizeFromUrl(url: string): { url: string; poolSize?: number } {
  const m = /([?&])pool_size=(\d+)(&?)/.exec(url);
  if (!m) return { url };
  const rest = url.slice(0, m.index) + (m[3] ? m[1] : '') + url.slice(m.index + m[0].length);
  return { url: rest.replace(/[?&]$/, ''), poolSize: Math.max(2, Number(m[2])) };
}

export class PostgresDb extends PgHandle {
  readonly pool: pg.Pool;

  constructor(url: string, options: { poolSize?: number; searchPath?: string } = {}) {
    const fromUrl = poolSizeFromUrl(url);
    const pool = new pg.Pool({
      connectionString: fromUrl.url,
      max: options.poolSize ?? fromUrl.poolSize ?? defaultPoolSize,
      types,
      // A schema of its own per test suite keeps suites apart inside one database.
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    super(pool, (fn) => this.runTransaction(fn));
    this.pool = pool;
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
  }

  private async runTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: Db = new PgHandle(client, (inner) => inner(tx));
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  override async close(): Promise<void> {
    await this.pool.end();
  }
}
