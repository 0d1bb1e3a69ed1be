// The one database seam: a small async SQL interface that SQLite and PostgreSQL both implement.
// Business logic (repositories) is written once over it; what differs is capability flags and the backends' roles
// (locks, schema, partitions, rollup writes, checkpointing), the same files in store/sqlite and store/postgres.
import type { Cells } from './rollup-cells.ts';

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
  /** ILIKE matches ignoring case (PostgreSQL); without it LIKE already ignores ASCII case (SQLite). */
  readonly ilike?: boolean;
  /** SELECT ... FOR UPDATE locks the rows read until commit (PostgreSQL); SQLite's writer lock covers it. */
  readonly rowLocks?: boolean;
}

/** One column of the live schema, as the database's catalog reports it. */
export interface LiveColumn {
  table: string;
  column: string;
  notNull: boolean;
  /** Part of the table's primary key. */
  primaryKey: boolean;
}

export interface CompactResult {
  done: boolean;
  /** What was run, or why it could not finish (another connection reading, for instance). */
  detail: string;
}

/** The schema role, each backend's own (sqlite/sqlite-schema.ts, postgres/postgres-schema.ts). */
export interface SchemaDialect {
  /** What a migration's `{{id}}` (auto-increment primary key) and `{{blob}}` (bytes) are spelled as. */
  readonly types: { id: string; blob: string };
  /** A migration's statements for this backend alone, if any. */
  extraSql(m: { postgres?: string; sqlite?: string }): string | undefined;
  /** Every column of every table of the current schema (a partition counts as its table). */
  liveColumns(db: ReadDb): Promise<LiveColumn[]>;
  /** Makes cleared bytes leave the database files (after retention cleared EUII in `tables`). */
  compact(db: Db, tables: readonly string[], options: { vacuum?: boolean }): Promise<CompactResult>;
}

export interface RunResult {
  changes: number;
}

/**
 * The read-only query seam (Store.reads) the analytics queries read through: SELECT (and WITH) statements only.
 * SQL is written with `?` placeholders in both dialects (PostgreSQL's driver rewrites them to $n);
 * never put a literal `?` inside SQL text. Integers are read back as JS numbers in both.
 */
export interface ReadDb {
  readonly capabilities: Capabilities;
  /** DDL spelling, the live schema, compaction: the backend's. */
  readonly schema: SchemaDialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /**
   * Hands each row to `onRow` as its values in select order, without holding every row at once (a scan of
   * millions of rows for the cause cube; PostgreSQL reads it through a cursor).
   */
  each(sql: string, params: readonly SqlValue[] | undefined, onRow: (row: unknown[]) => void): Promise<void>;
}

/** A lock held for as long as one database session lives (leader election, a process marking itself alive). */
export interface SessionLock {
  /** True while the session holding the lock answers (one round trip); false once it is lost. */
  check(): Promise<boolean>;
  /** Called once when the holding session is lost (connection error, server gone). */
  onLost(fn: () => void): void;
  /** Lets go of the lock and the session. */
  release(): Promise<void>;
}

/**
 * Locks between processes sharing one database, each backend's own (sqlite/sqlite-locks.ts: one process per file,
 * so every lock is granted; postgres/postgres-locks.ts: advisory locks). Named locks belong to the store's
 * schema, so several stores in one database lock apart.
 */
export interface Locks {
  /** Takes the named session lock if nobody holds it; null when another session does. */
  trySession(db: Db, name: string): Promise<SessionLock | null>;
  /** Inside a transaction: takes the named lock until commit if it is free (true), without waiting. */
  tryUntilCommit(tx: Db, name: string): Promise<boolean>;
  /** Inside a transaction: waits for the named lock, held until commit. */
  untilCommit(tx: Db, name: string): Promise<void>;
  /** Inside a transaction: waits for one record's lock (two processes saving the same record), until commit. */
  record(tx: Db, id: string): Promise<void>;
}

/** A month partition dropped by retention. */
export interface DroppedPartition {
  table: string;
  partition: string;
  from: number;
  to: number;
  rows: number;
}

export interface PartitionMaintenance {
  /** Partitions created (month starts, ISO) ahead of time or for rows found in a default partition. */
  created: string[];
  /** Rows moved out of default partitions into their month. */
  moved: number;
}

export interface DropResult {
  dropped: DroppedPartition[];
  /** Rows removed per table by dropping partitions (to add to a retention report's counts). */
  removed: Record<string, number>;
}

/**
 * Time partitions, each backend's own (postgres/postgres-partitions.ts: call_streams and stream_facts in month
 * partitions; sqlite/sqlite-partitions.ts: none, so every operation is a no-op and retention deletes rows).
 */
export interface Partitions {
  /** The month partitions of these call starts exist before their rows are written (outside the transaction). */
  ensureFor(db: Db, callStarts: Iterable<number | null | undefined>, now: () => number): Promise<void>;
  /** This month's and the next months' partitions made; rows that landed in a default partition moved out. */
  maintain(db: Db, now: number, monthsAhead?: number): Promise<PartitionMaintenance>;
  /** Retention by partition: months wholly before the cutoff whose every call ended before it, dropped. */
  dropBefore(db: Db, cutoff: number, options?: { dryRun?: boolean }): Promise<DropResult>;
  /** The partitions of each partitioned table (none without partitions): for status output and tests. */
  describe(db: Db): Promise<Record<string, { name: string; from: number | null; to: number | null }[]>>;
}

/**
 * How a transaction's rollup deltas reach the rollup tables, each backend's own: SQLite (one writer) applies them
 * in the writing transaction (sqlite/sqlite-writes.ts); PostgreSQL, where several writers would all lock the same
 * few rollup rows (a day's totals) until they commit, queues them and one writer at a time merges the queue
 * right after (postgres/postgres-writes.ts).
 */
export interface RollupWrites {
  /** Inside the writing transaction: the batch's deltas applied, or queued (committed with its rows). */
  apply(tx: Db, cells: Cells): Promise<void>;
  /** After a commit: the queued deltas merged; how many queue rows (0 where nothing is queued). */
  mergeQueued(db: Db): Promise<number>;
  /** Inside a rebuild's transaction: waits for any merger and applies what is queued. */
  flushQueued(tx: Db): Promise<void>;
}

/** The whole seam, for the store's repositories: reads, writes, transactions. */
export interface Db extends ReadDb {
  /** Locks between processes (the backend's). */
  readonly locks: Locks;
  /** Time partitions (the backend's; none on SQLite). */
  readonly partitions: Partitions;
  /** Rollup deltas applied in the transaction or queued for one merger (the backend's). */
  readonly rollupWrites: RollupWrites;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /**
   * Runs one statement once per parameter list, in order (only where capabilities.runEach). Values are bound as
   * given: numbers, strings, null, bigints and Buffers (no booleans).
   */
  runEach?(sql: string, paramLists: readonly (readonly SqlValue[])[]): Promise<void>;
  /**
   * For bulk writes: until the returned stop is called, checkpoints run beside the commits instead of inside them
   * (the backend's checkpointing role: a background thread on SQLite, nothing to do on PostgreSQL).
   */
  checkpointInBackground(): () => Promise<void>;
  /** Several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction; it commits when fn resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const readOnly = /^\s*(SELECT|WITH)\b/i;

/** A read-only view of a Db: a statement that is not a query is refused before it reaches the database. */
export function readOnlyDb(db: Db): ReadDb {
  const check = (sql: string) => {
    if (!readOnly.test(sql)) throw new Error('Store.reads runs queries only (SELECT or WITH)');
  };
  return {
    capabilities: db.capabilities,
    schema: db.schema,
    all: async (sql, params) => {
      check(sql);
      return db.all(sql, params);
    },
    get: async (sql, params) => {
      check(sql);
      return db.get(sql, params);
    },
    each: async (sql, params, onRow) => {
      check(sql);
      return db.each(sql, params, onRow);
    },
  };
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
