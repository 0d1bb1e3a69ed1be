// The one database seam: a small async SQL interface that SQLite and PostgreSQL both implement.
// Business logic (repositories) is written once over it; dialect differences are capability flags.

export type SqlValue = string | number | bigint | boolean | null | Uint8Array;

export interface Capabilities {
  readonly dialect: 'sqlite' | 'postgres';
  /** Several processes may claim work at once (FOR UPDATE SKIP LOCKED). */
  readonly skipLocked: boolean;
  /** Session-level advisory locks for leader election (pg_try_advisory_lock). */
  readonly advisoryLocks: boolean;
  /** Tables can be partitioned by time so retention drops partitions. */
  readonly partitions: boolean;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParams: number;
  /**
   * Statements run in-process (SQLite): one cached single-row statement run per row costs less than multi-row
   * INSERTs, and Db.runEach is there to do it without a promise per row. Absent: use multi-row statements.
   */
  readonly runEach?: boolean;
  /** Transactions on other connections run beside each other (PostgreSQL); SQLite has one writer at a time. */
  readonly concurrentWriters?: boolean;
}

export interface RunResult {
  changes: number;
}

/**
 * SQL is written with `?` placeholders in both dialects (PostgreSQL's driver rewrites them to $n);
 * never put a literal `?` inside SQL text. Integers are read back as JS numbers in both.
 */
export interface Db {
  readonly capabilities: Capabilities;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /**
   * Runs one statement once per parameter list, in order (only where capabilities.runEach). Values are bound as
   * given: numbers, strings, null, bigints and Buffers (no booleans).
   */
  runEach?(sql: string, paramLists: readonly (readonly SqlValue[])[]): Promise<void>;
  /**
   * SQLite: until the returned stop is called, moves WAL checkpoints off this connection's commits onto a
   * background thread (for bulk writes). Absent where the database does that itself.
   */
  checkpointInBackground?(): () => Promise<void>;
  /** Several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction; it commits when fn resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Inserts many rows with as few statements as the dialect's parameter limit allows. */
export async function insertMany(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = columns.length;
  const chunk = Math.max(1, Math.min(200, Math.floor(db.capabilities.maxParams / perRow)));
  const rowSql = `(${columns.map(() => '?').join(',')})`;
  const head = `INSERT INTO ${table} (${columns.join(',')}) VALUES `;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: SqlValue[] = [];
    for (const r of part) for (const v of r) params.push(v);
    await db.run(`${head}${Array(part.length).fill(rowSql).join(',')} ${suffix}`, params);
  }
}
