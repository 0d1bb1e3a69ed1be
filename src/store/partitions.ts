// Time partitions as store operations: the backend's partitions role (Db.partitions), month partitions on
// PostgreSQL and none on SQLite, where every operation is a no-op.
import type { Db, DropResult, PartitionMaintenance } from './db.ts';

export type { DropResult, PartitionMaintenance };

/** The month partitions of these call starts exist before their rows are written (outside the transaction). */
export function ensurePartitionsFor(
  db: Db,
  callStarts: Iterable<number | null | undefined>,
  now: () => number,
): Promise<void> {
  return db.partitions.ensureFor(db, callStarts, now);
}

/** This month's and the next `monthsAhead` months' partitions made; strays moved out of the default. */
export function maintainPartitions(db: Db, now: number, monthsAhead = 1): Promise<PartitionMaintenance> {
  return db.partitions.maintain(db, now, monthsAhead);
}

/** Retention by partition: months wholly before the cutoff whose every call ended before it, dropped. */
export function dropPartitionsBefore(
  db: Db,
  cutoff: number,
  options: { dryRun?: boolean } = {},
): Promise<DropResult> {
  return db.partitions.dropBefore(db, cutoff, options);
}

/** The partitions of each partitioned table (empty on SQLite): for status output and tests. */
export function describePartitions(db: Db) {
  return db.partitions.describe(db);
}
