// Leases of dead collector processes are freed at once: on PostgreSQL only those whose owner's session is gone
// (a live process keeps its work), on SQLite (one process per file) all of them at start.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { holdOwnerLock, releaseDeadLeases } from './dead-leases.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { PostgresDb } from './postgres/postgres-db.ts';
import { testDatabases } from './test-stores.ts';
import { claim, enqueue, queueStats } from './work-queue.ts';

const t0 = Date.UTC(2026, 0, 5);

for (const database of await testDatabases()) {
  describe(`leases of dead processes (${database.name})`, () => {
    let db: Db;
    let url: string;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      const opened = await database.open();
      ({ db, url, dispose } = opened);
      await migrate(db, migrations, () => 0);
      for (let i = 0; i < 9; i++) await enqueue(db, { kind: 'fetch', key: `r${i}`, dueAt: t0 }, t0);
    });
    afterEach(() => dispose());

    const take = (on: Db, owner: string) =>
      claim(on, { owner, now: t0, leaseMs: 3600_000, limit: 3, kinds: ['fetch'] });

    if (database.name === 'sqlite') {
      it('frees every lease (a start-up of the one process)', async () => {
        await take(db, 'old-process');
        expect(await releaseDeadLeases(db, 'new-process')).toBe(3);
        expect((await queueStats(db, t0)).leased).toBe(0);
      });
      return;
    }

    it('frees the leases of a process whose session ended, and only those', async () => {
      const alive = new PostgresDb(url, { poolSize: 2 });
      const dying = new PostgresDb(url, { poolSize: 2 });
      const aliveLock = await holdOwnerLock(alive, 'collector-alive');
      const selfLock = await holdOwnerLock(db, 'collector-self');
      try {
        const dyingLock = await holdOwnerLock(dying, 'collector-dying');
        expect(aliveLock).not.toBeNull();
        expect(dyingLock).not.toBeNull();
        // The same owner name twice is refused (it would make one process's death invisible).
        expect(await holdOwnerLock(db, 'collector-alive')).toBeNull();
        await take(alive, 'collector-alive');
        await take(dying, 'collector-dying');
        // A lease left by a process that never held a lock (gone before this start): free.
        await take(db, 'collector-gone');
        const self = await take(db, 'collector-self');
        expect(self).toHaveLength(0);
        expect((await queueStats(db, t0)).leased).toBe(9);

        expect(await releaseDeadLeases(db, 'collector-self')).toBe(3);
        // The dying process's session ends (as when it is killed): its lock goes with it.
        const held = `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2
          AND objid = hashtext('worker:collector-dying')::oid`;
        await db.get(`SELECT pg_terminate_backend(pid) FROM (${held}) h`);
        // pg_terminate_backend only signals: the session ends (and drops its lock) a moment later.
        for (let i = 0; i < 500 && (await db.get(held)); i++) await new Promise((r) => setTimeout(r, 10));
        expect(await releaseDeadLeases(db, 'collector-self')).toBe(3);
        const stats = await queueStats(db, t0);
        expect(stats.leased).toBe(3);
        const retaken = await claim(db, {
          owner: 'collector-self',
          now: t0,
          leaseMs: 60_000,
          limit: 9,
          kinds: ['fetch'],
        });
        expect(retaken).toHaveLength(6);
        // Live processes keep theirs, whoever asks.
        expect(await releaseDeadLeases(db, 'collector-other')).toBe(0);
      } finally {
        await selfLock?.release();
        await aliveLock?.release();
        await alive.close();
        await dying.close().catch(() => undefined);
      }
    });
  });
}
