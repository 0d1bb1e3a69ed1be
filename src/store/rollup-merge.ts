// Rollup deltas left queued by concurrent writers, merged (the backend's rollup writes role: a queue and one
// merger at a time on PostgreSQL; nothing is ever queued on SQLite).
import type { Db } from './db.ts';

/** Merges every queued delta; returns how many queue rows it merged (another merger at work: leaves it to that). */
export function mergePendingRollups(db: Db): Promise<number> {
  return db.rollupWrites.mergeQueued(db);
}

/** Inside a rebuild's transaction: rollups that count every committed record first (waits for any merger). */
export function flushPendingRollups(tx: Db): Promise<void> {
  return tx.rollupWrites.flushQueued(tx);
}
