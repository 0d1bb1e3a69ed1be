// Locks between collector processes sharing one database: the leader's lock, each process's owner lock, and the
// hand-over of the leases a dead process held (dead-leases.ts), behind the backend's Db.locks.
import type { Db, SessionLock } from './db.ts';
import { holdOwnerLock, releaseDeadLeases } from './dead-leases.ts';
import { trySessionLock } from './session-lock.ts';

export interface CollectorLocks {
  /**
   * Several collector processes may share this database (PostgreSQL's advisory locks): leases of dead ones are
   * reaped while running. Without it (SQLite, one process per file) every lease is stale at start.
   */
  readonly shared: boolean;
  /** Takes the named session lock if nobody holds it (leader election); null when another session does. */
  trySession(name: string): Promise<SessionLock | null>;
  /** Marks this process alive as `owner` while the lock is held; null if a live process uses the name. */
  holdOwner(owner: string): Promise<SessionLock | null>;
  /** Frees the leases of dead owners (all leases where nothing is shared) so their jobs are claimed now. */
  releaseDeadLeases(self: string): Promise<number>;
}

export function createCollectorLocks(db: Db): CollectorLocks {
  return {
    shared: db.capabilities.advisoryLocks,
    trySession: (name) => trySessionLock(db, name),
    holdOwner: (owner) => holdOwnerLock(db, owner),
    releaseDeadLeases: (self) => releaseDeadLeases(db, self),
  };
}
