// The record repository with partitions made ahead of its writes: each save first makes sure the month
// partitions of its calls exist (PostgreSQL), outside the save's transaction; on SQLite it is the repository as is.
import type { Db } from './db.ts';
import { ensurePartitionsFor } from './partitions.ts';
import type { RecordRepository } from './records.ts';

export function withPartitions(db: Db, repo: RecordRepository): RecordRepository {
  if (!db.capabilities.partitions) return repo;
  return {
    ...repo,
    async save(input) {
      await ensurePartitionsFor(db, [input.rows.call.start_time]);
      return repo.save(input);
    },
    async saveMany(inputs, options) {
      await ensurePartitionsFor(
        db,
        inputs.map((i) => i.rows.call.start_time),
      );
      return repo.saveMany(inputs, options);
    },
  };
}
