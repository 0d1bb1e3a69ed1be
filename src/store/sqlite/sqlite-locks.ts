// SQLite's locks: one process per database file and one writer at a time, so every lock is granted at once.
import type { Locks, SessionLock } from '../db.ts';

const held: SessionLock = {
  check: async () => true,
  onLost: () => undefined,
  release: async () => undefined,
};

export const sqliteLocks: Locks = {
  trySession: async () => held,
  tryUntilCommit: async () => true,
  untilCommit: async () => undefined,
  // Transactions are already serial on the one connection.
  record: async () => undefined,
};
