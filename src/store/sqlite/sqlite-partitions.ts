// SQLite's partitions role: there are none. Every operation is a no-op, so retention removes rows by DELETE.
import type { Partitions } from '../db.ts';

export const sqlitePartitions: Partitions = {
  ensureFor: async () => undefined,
  maintain: async () => ({ created: [], moved: 0 }),
  dropBefore: async () => ({ dropped: [], removed: {} }),
  describe: async () => ({}),
};
