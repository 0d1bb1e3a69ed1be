// The collector's locks (store.collectorLocks), run unchanged on SQLite and PostgreSQL: a session lock is held
// until released, and a dead process's leases are handed on while a live one's stay where sharing is possible.
import { describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`collector locks contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'each', (s) => {
      store = s;
    });

    it('holds a named session lock until it is released, then grants it again', async (t) => {
      // Advisory locks are database-wide on PostgreSQL: a name per test run keeps parallel suites apart.
      const name = `contract-${t.task.id}-${process.pid}`;
      const first = await store.collectorLocks.trySession(name);
      expect(first).not.toBeNull();
      expect(await first!.check()).toBe(true);
      const second = await store.collectorLocks.trySession(name);
      // Shared databases refuse a second holder; a database one process owns grants every lock.
      expect(second === null).toBe(store.collectorLocks.shared);
      await second?.release();
      await first!.release();
      const again = await store.collectorLocks.trySession(name);
      expect(again).not.toBeNull();
      await again!.release();
    });

    it("frees a dead owner's leases; a live owner's only where one process owns the database", async () => {
      const q = store.workQueue;
      const live = `live-${process.pid}-${Date.now()}`;
      const dead = `dead-${process.pid}-${Date.now()}`;
      await q.enqueue({ kind: 'fetch-record', key: 'a', dueAt: 1000 }, 900);
      await q.enqueue({ kind: 'fetch-record', key: 'b', dueAt: 1000 }, 900);
      const alive = await store.collectorLocks.holdOwner(live);
      expect(alive).not.toBeNull();
      await q.claim({ owner: live, now: 1000, leaseMs: 60_000, limit: 1 });
      await q.claim({ owner: dead, now: 1000, leaseMs: 60_000, limit: 1 });
      // Nobody holds the dead owner's lock: its lease goes; the live owner keeps its own unless nothing is shared.
      const freed = await store.collectorLocks.releaseDeadLeases(`self-${process.pid}`);
      expect(freed).toBe(store.collectorLocks.shared ? 1 : 2);
      const stillHeld = (await Promise.all(['a', 'b'].map((k) => q.get('fetch-record', k)))).filter(
        (j) => j?.leaseToken,
      );
      expect(stillHeld.map((j) => j!.leaseToken.split(':')[0])).toEqual(
        store.collectorLocks.shared ? [live] : [],
      );
      // Its own leases are never the reaper's: `self` is skipped where processes share the database.
      if (store.collectorLocks.shared) expect(await store.collectorLocks.releaseDeadLeases(live)).toBe(0);
      await alive!.release();
      expect(await store.collectorLocks.releaseDeadLeases(`self-${process.pid}`)).toBe(
        store.collectorLocks.shared ? 1 : 0,
      );
    });
  });
}
