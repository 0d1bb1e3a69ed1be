// SQLite implementation of the Db seam on better-sqlite3: one connection, WAL, secure delete, cached statements.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Capabilities, Db, RunResult, SqlValue } from '../db.ts';
import { checkpointInBackground } from './sqlite-checkpoint.ts';
import { sqliteLocks } from './sqlite-locks.ts';
import { sqlitePartitions } from './sqlite-partitions.ts';
import { sqliteSchema } from './sqlite-schema.ts';
import { sqliteRollupWrites } from './sqlite-writes.ts';

const capabilities: Capabilities = {
  dialect: 'sqlite',
  skipLocked: false,
  advisoryLocks: false,
  partitions: false,
  maxParams: 32_766,
  runEach: true,
};

type Bindable = string | number | bigint | null | Buffer;

function bind(params: readonly SqlValue[] | undefined): Bindable[] {
  if (!params) return [];
  return params.map((v) =>
    typeof v === 'boolean'
      ? v
        ? 1
        : 0
      : v instanceof Uint8Array && !Buffer.isBuffer(v)
        ? Buffer.from(v)
        : v,
  ) as Bindable[];
}

export class SqliteDb implements Db {
  readonly capabilities = capabilities;
  readonly locks = sqliteLocks;
  readonly schema = sqliteSchema;
  readonly partitions = sqlitePartitions;
  readonly rollupWrites = sqliteRollupWrites;
  readonly raw: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** better-sqlite3 has one connection: transactions from different async callers must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private inTransaction = false;

  private readonly file: string;

  constructor(file: string) {
    this.file = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.raw = new Database(file);
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('synchronous = NORMAL');
    this.raw.pragma('foreign_keys = ON');
    // Cleared EUII must be overwritten on disk, not merely unlinked from the b-tree.
    this.raw.pragma('secure_delete = ON');
    this.raw.pragma('busy_timeout = 10000');
    this.raw.defaultSafeIntegers(false);
  }

  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.raw.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  private async gate<T>(fn: () => T): Promise<T> {
    // Outside a transaction, wait until any running transaction has finished.
    if (!this.inTransaction) return fn();
    await this.queue.catch(() => undefined);
    return this.gate(fn);
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.gate(() => this.prepare(sql).all(...bind(params)) as T[]);
  }
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.gate(() => this.prepare(sql).get(...bind(params)) as T | undefined);
  }
  each(sql: string, params: readonly SqlValue[] | undefined, onRow: (row: unknown[]) => void): Promise<void> {
    return this.gate(() => this.eachNow(sql, params, onRow));
  }
  private eachNow(
    sql: string,
    params: readonly SqlValue[] | undefined,
    onRow: (row: unknown[]) => void,
  ): void {
    // Its own statement: raw mode on a cached one would change what `all` returns.
    for (const row of this.raw
      .prepare(sql)
      .raw(true)
      .iterate(...bind(params)))
      onRow(row as unknown[]);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.gate(() => ({ changes: this.prepare(sql).run(...bind(params)).changes }));
  }
  runEach(sql: string, paramLists: readonly (readonly SqlValue[])[]): Promise<void> {
    return this.gate(() => this.runEachNow(sql, paramLists));
  }
  exec(sql: string): Promise<void> {
    return this.gate(() => {
      this.raw.exec(sql);
    });
  }

  private runEachNow(sql: string, paramLists: readonly (readonly SqlValue[])[]): void {
    const st = this.prepare(sql);
    for (const params of paramLists) st.run(params as Bindable[]);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.inTransaction = true;
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.txHandle);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      } finally {
        this.inTransaction = false;
      }
    };
    const next = this.queue.catch(() => undefined).then(run);
    this.queue = next;
    return next;
  }

  /** The handle given to transaction bodies: runs statements directly, nested transactions join the outer one. */
  private readonly txHandle: Db = {
    capabilities,
    locks: sqliteLocks,
    schema: sqliteSchema,
    partitions: sqlitePartitions,
    rollupWrites: sqliteRollupWrites,
    checkpointInBackground: () => async () => undefined,
    all: async <T>(sql: string, params?: readonly SqlValue[]) =>
      this.prepare(sql).all(...bind(params)) as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) =>
      this.prepare(sql).get(...bind(params)) as T | undefined,
    each: async (sql: string, params: readonly SqlValue[] | undefined, onRow: (row: unknown[]) => void) =>
      this.eachNow(sql, params, onRow),
    run: async (sql: string, params?: readonly SqlValue[]) => ({
      changes: this.prepare(sql).run(...bind(params)).changes,
    }),
    runEach: async (sql: string, paramLists: readonly (readonly SqlValue[])[]) =>
      this.runEachNow(sql, paramLists),
    exec: async (sql: string) => {
      this.raw.exec(sql);
    },
    transaction: <T>(fn: (tx: Db) => Promise<T>) => fn(this.txHandle),
    close: async () => undefined,
  };

  /** WAL checkpoints on a background thread while bulk writes run (sqlite-checkpoint.ts). */
  checkpointInBackground(): () => Promise<void> {
    return checkpointInBackground(this.raw, this.file);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.statements.clear();
    if (this.raw.open) this.raw.close();
  }
}
