// The record repository for several writers on PostgreSQL: each save first makes sure the month partitions of
// its calls exist (outside the save's transaction), and afterwards merges the rollup deltas saves have queued.
// On SQLite (one writer, no partitions) it is the repository as is.
import type { Db } from './db.ts';
import { ensurePartitionsFor } from './partitions.ts';
import type { RecordRepository } from './records.ts';
import { mergePendingRollups } from './rollup-merge.ts';

export function withSharedWrites(db: Db, repo: RecordRepository, now: () => number): RecordRepository {
  if (!db.capabilities.partitions && !db.capabilities.concurrentWriters) return repo;
  return {
    ...repo,
    async save(input, prepare) {
      await ensurePartitionsFor(db, [input.rows.call.start_time], now);
      const outcome = await repo.save(input, prepare);
      await mergePendingRollups(db);
      return outcome;
    },
    async saveMany(inputs, options) {
      await ensurePartitionsFor(
        db,
        inputs.map((i) => i.rows.call.start_time),
        now,
      );
      const outcomes = await repo.saveMany(inputs, options);
      await mergePendingRollups(db);
      return outcomes;
    },
    async reprocess(prepare, options) {
      const result = await repo.reprocess(prepare, options);
      await mergePendingRollups(db);
      return result;
    },
  };
}
