// Work held by a collector process that died is handed on at once instead of when its lease runs out: on
// PostgreSQL each process holds a session lock named after its lease owner while it lives, so a lease whose
// owner's lock is free belongs to a dead process. SQLite has one process per file: every lease at start is stale.
import type { Db } from './db.ts';
import { type SessionLock, trySessionLock } from './session-lock.ts';
import { releaseAllLeases } from './work-queue.ts';

const lockName = (owner: string) => `worker:${owner}`;
// Lease tokens are `<owner>:<uuid>` (work-queue.ts claim); the owner is everything before the last colon.
const ownerOf = "regexp_replace(lease_token, ':[^:]*$', '')";

/**
 * Marks this process alive as `owner` for as long as the returned lock is held (until release or death). Null
 * only if another live process already uses the same owner name. On SQLite: a lock that is always held.
 */
export function holdOwnerLock(db: Db, owner: string): Promise<SessionLock | null> {
  return trySessionLock(db, lockName(owner));
}

/**
 * Frees the leases of dead processes so their jobs can be claimed now; returns how many. PostgreSQL: leases of
 * owners other than `self` whose owner lock nobody holds (tried with a transaction lock, so a live owner is
 * never disturbed and two reapers never race). SQLite (one process per file): every lease, meant for start-up.
 */
export async function releaseDeadLeases(db: Db, self: string): Promise<number> {
  if (!db.capabilities.advisoryLocks) return releaseAllLeases(db);
  const owners = await db.all<{ owner: string }>(
    `SELECT DISTINCT ${ownerOf} AS owner FROM work_queue WHERE lease_token IS NOT NULL`,
  );
  let released = 0;
  for (const { owner } of owners) {
    if (owner === self) continue;
    released += await db.transaction(async (tx) => {
      if (!(await tx.locks.tryUntilCommit(tx, lockName(owner)))) return 0;
      const r = await tx.run(
        `UPDATE work_queue SET lease_token = NULL, lease_until = NULL WHERE lease_token IS NOT NULL AND ${ownerOf} = ?`,
        [owner],
      );
      return r.changes;
    });
  }
  return released;
}
