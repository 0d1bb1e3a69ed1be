// PostgreSQL implementation of the Db seam on `pg`: a pool, `?` placeholders rewritten to $n, int8 read as numbers.
import pg from 'pg';
import type { Capabilities, Db, RunResult, SqlValue } from '../db.ts';

const capabilities: Capabilities = {
  dialect: 'postgres',
  skipLocked: true,
  advisoryLocks: true,
  partitions: true,
  maxParams: 65_535,
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
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

class PgHandle implements Db {
  readonly capabilities = capabilities;
  constructor(
    protected readonly q: Queryable,
    private readonly begin: <T>(fn: (tx: Db) => Promise<T>) => Promise<T>,
  ) {}
  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.q.query(toPgPlaceholders(sql), bind(params))).rows as T[];
  }
  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return { changes: (await this.q.query(toPgPlaceholders(sql), bind(params))).rowCount ?? 0 };
  }
  async exec(sql: string): Promise<void> {
    await this.q.query(sql);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.begin(fn);
  }
  async close(): Promise<void> {}
}

export class PostgresDb extends PgHandle {
  readonly pool: pg.Pool;

  constructor(url: string, options: { poolSize?: number; searchPath?: string } = {}) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
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
