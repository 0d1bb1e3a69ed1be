// PostgreSQL's locks: advisory locks. Database-wide by nature, so every named lock is scoped to the store's schema
// (several stores, e.g. tenants or parallel test suites, may share one database) in the two-key space, apart from
// the one-key per-record locks (hashtext(record id)).
import type pg from 'pg';
import type { Db, Locks, SessionLock } from '../db.ts';

/** THE lock name: the two keys of a named lock of this store's schema, as SQL. */
function keysOf(name: string): [string, string] {
  if (!/^[a-z0-9:._-]+$/i.test(name)) throw new Error(`bad lock name "${name}"`);
  return [`hashtext('calltrove:' || current_schema())`, `hashtext('${name}')`];
}

/** The arguments of a pg_*advisory*_lock call for the named lock. */
export const lockKeys = (name: string): string => keysOf(name).join(', ');

/**
 * pg_try_advisory_lock on a connection taken out of the pool for the holder's lifetime, so the lock goes free
 * the moment the holding process dies (its session ends).
 */
async function trySession(db: Db, name: string): Promise<SessionLock | null> {
  const pool = (db as { pool?: pg.Pool }).pool;
  if (!pool) throw new Error('session locks need the PostgreSQL store itself, not a transaction');
  const keys = lockKeys(name);
  const [classKey, objectKey] = keysOf(name);
  const client = await pool.connect();
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
    held = (await client.query(`SELECT pg_try_advisory_lock(${keys}) AS ok`)).rows[0]?.ok === true;
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
             AND classid = (${classKey})::oid AND objid = (${objectKey})::oid AND objsubid = 2 AND granted`,
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
        await client.query(`SELECT pg_advisory_unlock(${keys})`);
        client.release();
      } catch (err) {
        // A broken connection is destroyed, not handed back to the pool.
        client.release(err as Error);
      }
    },
  };
}

export const postgresLocks: Locks = {
  trySession,
  async tryUntilCommit(tx, name) {
    return (
      (await tx.get<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${lockKeys(name)}) AS ok`))?.ok ===
      true
    );
  },
  async untilCommit(tx, name) {
    await tx.get(`SELECT pg_advisory_xact_lock(${lockKeys(name)})`);
  },
  async record(tx, id) {
    await tx.get('SELECT pg_advisory_xact_lock(hashtext(?))', [id]);
  },
};
