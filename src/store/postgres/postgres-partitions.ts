// PostgreSQL's partitions role: call_streams and stream_facts in month partitions, created ahead and on demand
// (giving way to lock contention), strays moved out of the default partition, months dropped by retention.
import type { Db, DropResult, PartitionMaintenance, Partitions } from '../db.ts';
import {
  createMonthPartition,
  dropExpiredPartitions,
  isPartitioned,
  listPartitions,
  monthStart,
  nextMonth,
  partitionedTables,
  strayMonth,
} from './partition-ddl.ts';

/** Months (start ms) known to have their partitions, per open database: the write path's fast answer. */
const known = new WeakMap<Db, Set<number>>();

/** Months whose partition DDL gave way to contention, and when to try again. */
const retryAt = new WeakMap<Db, Map<number, number>>();

function backoff(db: Db): Map<number, number> {
  let map = retryAt.get(db);
  if (!map) {
    map = new Map();
    retryAt.set(db, map);
  }
  return map;
}

function knownMonths(db: Db): Set<number> {
  let set = known.get(db);
  if (!set) {
    set = new Set();
    known.set(db, set);
  }
  return set;
}

/** lock_not_available (lock_timeout) and deadlock_detected: contention, not a fault. */
function lockConflict(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '55P03' || code === '40P01';
}

/** Runs partition DDL; undefined when it gave way to contention (it is tried again later). */
async function tolerant<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (lockConflict(err)) return undefined;
    throw err;
  }
}

/** Whether this schema's tables are partitioned (a store migrated before partitions existed is not). */
async function partitioned(db: Db): Promise<boolean> {
  return isPartitioned(db, partitionedTables[0].table);
}

/**
 * Makes sure the month partitions for these call start times exist, before rows of those calls are written
 * (outside the writing transaction, so partition DDL never waits inside a record's save). Costs a set lookup
 * once a month is known. A row that arrives without its partition still lands in the default partition:
 * never an error, only a later move (maintainPartitions) or a row delete at retention.
 */
async function ensureFor(
  db: Db,
  callStarts: Iterable<number | null | undefined>,
  clock: () => number,
): Promise<void> {
  const months = knownMonths(db);
  const missing = new Set<number>();
  for (const t of callStarts) {
    if (typeof t !== 'number' || !Number.isFinite(t)) continue;
    const m = monthStart(t);
    if (!months.has(m)) missing.add(m);
  }
  if (missing.size === 0) return;
  if (!(await partitioned(db))) return;
  const now = clock();
  const waits = backoff(db);
  for (const m of [...missing].sort((a, b) => a - b)) {
    // A month that just gave way to contention is not retried by every save (each try may wait 5 s).
    if ((waits.get(m) ?? 0) > now) continue;
    let made = true;
    for (const t of partitionedTables)
      if ((await tolerant(() => createMonthPartition(db, t, m))) === undefined) made = false;
    if (made) {
      months.add(m);
      waits.delete(m);
    } else waits.set(m, now + 60_000);
  }
}

/**
 * Creates the partitions of this month and the next `monthsAhead` months, and moves any rows that landed in
 * a default partition (their month was missing when written) into a month partition of their own. Cheap when
 * there is nothing to do: a few catalog reads and one index probe per table. Gives way to lock contention
 * (a store still opens while a long query runs): what it could not do now is done on demand or next time.
 */
async function maintain(db: Db, now: number, monthsAhead = 1): Promise<PartitionMaintenance> {
  const result: PartitionMaintenance = { created: [], moved: 0 };
  if (!(await partitioned(db))) return result;
  const months = knownMonths(db);
  let m = monthStart(now);
  for (let i = 0; i <= monthsAhead; i++, m = nextMonth(m)) {
    let made = true;
    for (const t of partitionedTables) {
      const moved = await tolerant(() => createMonthPartition(db, t, m));
      if (moved === undefined) made = false;
      else if (moved !== null) {
        result.created.push(`${t.table}:${new Date(m).toISOString().slice(0, 7)}`);
        result.moved += moved;
      }
    }
    if (made) months.add(m);
  }
  for (const t of partitionedTables) {
    // Each pass empties one month out of the default; a month that cannot be made now stops the loop.
    for (let guard = 0; guard < 1200; guard++) {
      const stray = await strayMonth(db, t);
      if (stray === null) break;
      const moved = await tolerant(() => createMonthPartition(db, t, stray));
      if (moved == null) break;
      result.created.push(`${t.table}:${new Date(stray).toISOString().slice(0, 7)}`);
      result.moved += moved;
    }
  }
  return result;
}

/**
 * Retention by partition: drops every month partition of call_streams and stream_facts that lies wholly
 * before the cutoff and holds only calls that ended before it (a call starting in an old month but ending
 * after the cutoff keeps its month). Only those two tables' rows go: the caller still removes the expired
 * records' other rows (calls, sessions, raw versions, ...) by its usual deletes, which then find no stream
 * or fact rows in the dropped months. dryRun counts what would go.
 */
async function dropBefore(db: Db, cutoff: number, options: { dryRun?: boolean } = {}): Promise<DropResult> {
  const result: DropResult = { dropped: [], removed: {} };
  if (!(await partitioned(db))) return result;
  for (const t of partitionedTables) {
    const dropped = await dropExpiredPartitions(db, t, cutoff, options.dryRun ?? false);
    for (const d of dropped) {
      result.dropped.push(d);
      result.removed[d.table] = (result.removed[d.table] ?? 0) + d.rows;
      if (!options.dryRun) knownMonths(db).delete(d.from);
    }
  }
  return result;
}

/** The partitions of each partitioned table: for status output and tests. */
async function describe(
  db: Db,
): Promise<Record<string, { name: string; from: number | null; to: number | null }[]>> {
  const out: Record<string, { name: string; from: number | null; to: number | null }[]> = {};
  if (!(await partitioned(db))) return out;
  for (const t of partitionedTables) out[t.table] = await listPartitions(db, t.table);
  return out;
}

export const postgresPartitions: Partitions = { ensureFor, maintain, dropBefore, describe };
