// SQLite's rollup writes: one writer at a time, so a transaction's rollup deltas are applied in it; nothing is
// ever queued.
import type { RollupWrites } from '../db.ts';
import { applyRollupCells } from '../ingest-rollups.ts';

export const sqliteRollupWrites: RollupWrites = {
  apply: applyRollupCells,
  mergeQueued: async () => 0,
  flushQueued: async () => undefined,
};
