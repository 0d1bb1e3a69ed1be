// A lock held for as long as one database session lives: leader election among collector processes.
// PostgreSQL: pg_try_advisory_lock on a connection taken out of the pool for the holder's lifetime, so the
// lock goes free the moment the holding process dies (its session ends). SQLite: one process per file, always held.
import type { Db } from './db.ts';
import { PostgresDb } from './postgres/postgres-db.ts';

export interface SessionLock {
  /** True while the session holding the lock answers (one round trip); false once it is lost. */
  check(): Promise<boolean>;
  /** Called once when the holding session is lost (connection error, server gone). */
  onLost(fn: () => void): void;
  /** Lets go of the lock and the session. */
  release(): Promise<void>;
}

// Two-key advisory locks live apart from the one-key space that per-record locks (hashtext(id)) use, so a
// record id can never collide with a named lock.
const namespace = 'calltrove';

class AlwaysHeld implements SessionLock {
  async check() {
    return true;
  }
  onLost() {}
  async release() {}
}

/**
 * Takes the named lock if nobody holds it; null when another session does. On a Db without session locks
 * (SQLite, one process) the lock is always granted.
 */
export async function trySessionLock(db: Db, name: string): Promise<SessionLock | null> {
  if (!db.capabilities.advisoryLocks) return new AlwaysHeld();
  if (!(db instanceof PostgresDb))
    throw new Error('session locks need the PostgreSQL store itself, not a transaction');
  const client = await db.pool.connect();
  let lost = false;
  let released = false;
  const listeners: (() => void)[] = [];
  const loseIt = () => {
    if (lost || released) return;
    lost = true;
    // The broken connection leaves the pool now (not at release): a pool being closed must not wait for it.
    client.removeListener('error', loseIt);
    client.removeListener('end', loseIt);
    client.release(new Error('session lock connection lost'));
    for (const fn of listeners) fn();
  };
  client.on('error', loseIt);
  client.on('end', loseIt);
  let held = false;
  try {
    const r = await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [
      namespace,
      name,
    ]);
    held = r.rows[0]?.ok === true;
  } finally {
    if (!held) {
      client.removeListener('error', loseIt);
      client.removeListener('end', loseIt);
      client.release();
    }
  }
  if (!held) return null;
  return {
    async check() {
      if (lost || released) return false;
      // A lost connection's listener may be pending behind this call: the query then fails and says so.
      try {
        // The lock is ours while this session lives; asking the server proves it still does.
        const r = await client.query(
          `SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
             AND classid = hashtext($1)::oid AND objid = hashtext($2)::oid AND objsubid = 2 AND granted`,
          [namespace, name],
        );
        if (Number(r.rows[0]?.n) > 0) return true;
      } catch {
        // fall through: the session is gone
      }
      loseIt();
      return false;
    },
    onLost(fn) {
      listeners.push(fn);
    },
    async release() {
      if (released) return;
      released = true;
      client.removeListener('error', loseIt);
      client.removeListener('end', loseIt);
      if (lost) return;
      try {
        await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [namespace, name]);
        client.release();
      } catch (err) {
        // A broken connection is destroyed, not handed back to the pool.
        client.release(err as Error);
      }
    },
  };
}
