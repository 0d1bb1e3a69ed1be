// A lock held for as long as one database session lives: leader election among collector processes, a process
// marking itself alive. The backend's (Db.locks): PostgreSQL advisory locks, always granted on SQLite.
import type { Db, SessionLock } from './db.ts';

export type { SessionLock };

/** Takes the named lock if nobody holds it; null when another session does. */
export function trySessionLock(db: Db, name: string): Promise<SessionLock | null> {
  return db.locks.trySession(db, name);
}
