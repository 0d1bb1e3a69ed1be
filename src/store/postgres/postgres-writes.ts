// PostgreSQL's rollup writes: deltas queued by concurrent writers (rollup_pending, in the writer's transaction)
// and merged into the rollup tables by one writer at a time: the hot rollup rows (a day's totals, touched by every
// record) are then locked by one short transaction per merge instead of by every save until its commit, and one
// merge adds up the deltas of many saves.
import type { Db, RollupWrites } from '../db.ts';
import {
  applyRollupCells,
  type CellsJson,
  cellsFromJson,
  cellsToJson,
  mergeCells,
} from '../ingest-rollups.ts';
import { type Cells, emptyCells } from '../rollup-cells.ts';

const mergeLock = 'rollup-merge';
const perMerge = 500;

async function pendingExists(db: Db): Promise<boolean> {
  return (await db.get('SELECT 1 AS x FROM rollup_pending LIMIT 1')) !== undefined;
}

/**
 * Merges every queued delta; returns how many queue rows it merged. When another writer is merging, it leaves
 * the work to that one (no waiting): a merger looks at the queue again after releasing its lock, and a writer
 * queues its deltas (commits) before trying the lock, so no delta is left behind.
 */
async function mergeQueued(db: Db): Promise<number> {
  let merged = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      if (!(await tx.locks.tryUntilCommit(tx, mergeLock))) return -1;
      const rows = await tx.all<{ cells: string }>(
        `DELETE FROM rollup_pending WHERE id IN (SELECT id FROM rollup_pending ORDER BY id LIMIT ${perMerge})
         RETURNING cells`,
      );
      await applyQueued(tx, rows);
      return rows.length;
    });
    if (n < 0) return merged;
    merged += n;
    // The lock is released now: deltas queued while it was held are merged here, by this writer.
    if (n === 0 && !(await pendingExists(db))) return merged;
  }
}

/**
 * Waits for the merge lock and applies whatever is queued, in the caller's transaction: a rebuild of the rollups
 * from the facts starts from rollups that count every committed record (the days it rebuilds are replaced anyway).
 */
async function flushQueued(tx: Db): Promise<void> {
  await tx.locks.untilCommit(tx, mergeLock);
  await applyQueued(tx, await tx.all<{ cells: string }>('DELETE FROM rollup_pending RETURNING cells'));
}

/** Adds up queued deltas and applies the sum: one upsert per rollup row however many saves touched it. */
async function applyQueued(tx: Db, rows: readonly { cells: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const cells = emptyCells();
  for (const r of rows) mergeCells(cells, cellsFromJson(JSON.parse(r.cells) as CellsJson));
  await applyRollupCells(tx, cells);
}

/** Queues rollup deltas inside the writer's transaction (committed with its rows, or not at all). */
async function queue(tx: Db, cells: Cells): Promise<void> {
  const json = cellsToJson(cells).filter(([, list]) => list.length > 0);
  if (json.length > 0) await tx.run('INSERT INTO rollup_pending (cells) VALUES (?)', [JSON.stringify(json)]);
}

export const postgresRollupWrites: RollupWrites = { apply: queue, mergeQueued, flushQueued };
