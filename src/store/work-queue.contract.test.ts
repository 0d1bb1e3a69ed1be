// The work queue's contract (store.workQueue, store.recordPlans, store.collectorState), run unchanged on SQLite
// and PostgreSQL: claims and leases, extension and release, failure and retry, finishing, what is left queued.
import { describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`work queue contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'each', (s) => {
      store = s;
    });

    it('claims a due job once, extends and releases its lease, and gives it back due as it was', async () => {
      const q = store.workQueue;
      await q.enqueue({ kind: 'fetch-record', key: 'a', dueAt: 1000 }, 900);
      await q.enqueue({ kind: 'fetch-record', key: 'later', dueAt: 5000 }, 900);
      const [job, ...rest] = await q.claim({ owner: 'w1', now: 1000, leaseMs: 100, limit: 10 });
      expect(rest).toEqual([]);
      expect(job).toMatchObject({ key: 'a', attempts: 1, leaseUntil: 1100 });
      // Held: a second worker gets nothing while the lease runs.
      expect(await q.claim({ owner: 'w2', now: 1050, leaseMs: 100, limit: 10 })).toEqual([]);
      expect(await q.extendLease(job, 1300, 1090)).toBe(true);
      // Past the first lease but inside the extension: still held.
      expect(await q.claim({ owner: 'w2', now: 1200, leaseMs: 100, limit: 10 })).toEqual([]);
      expect(await q.release(job, 1210)).toBe(true);
      const back = await q.get('fetch-record', 'a');
      expect(back).toMatchObject({ dueAt: 1000, attempts: 0, leaseToken: '' });
      // A lease that was released cannot be extended or released again by the old holder.
      expect(await q.extendLease(job, 2000, 1220)).toBe(false);
      expect(await q.release(job, 1220)).toBe(false);
      const [again] = await q.claim({ owner: 'w2', now: 1220, leaseMs: 100, limit: 10 });
      expect(again.key).toBe('a');
    });

    it('keeps a failed job queued with its error, due at the retry time; lists what is queued', async () => {
      const q = store.workQueue;
      await q.enqueue({ kind: 'fetch-record', key: 'b', dueAt: 1000 }, 900);
      await q.enqueue({ kind: 'reconcile', key: 'recent', dueAt: 800 }, 900);
      const [job] = await q.claim({
        owner: 'w1',
        now: 1000,
        leaseMs: 100,
        limit: 1,
        kinds: ['fetch-record'],
      });
      expect(await q.fail(job, 6000, 'Graph answered 503', 1010)).toBe(true);
      expect(await q.queued('fetch-record')).toMatchObject([
        { key: 'b', dueAt: 6000, attempts: 1, lastError: 'Graph answered 503' },
      ]);
      expect(await q.nextDueAt(['fetch-record'])).toBe(6000);
      expect(await q.nextDueAt()).toBe(800);
      expect(
        await q.claim({ owner: 'w1', now: 5999, leaseMs: 100, limit: 5, kinds: ['fetch-record'] }),
      ).toEqual([]);
    });

    it('names the records a listing saw at a newer version than stored, within a start window', async () => {
      await store.recordPlans.noteListed(
        'r1',
        { version: 3, modifiedAt: 10, startAt: 1000, endAt: 2000 },
        50,
      );
      await store.recordPlans.noteListed(
        'r2',
        { version: 1, modifiedAt: 10, startAt: 3000, endAt: 4000 },
        50,
      );
      expect((await store.recordPlans.behind(0, 5000)).map((p) => p.recordId)).toEqual(['r1', 'r2']);
      expect((await store.recordPlans.behind(2000, 5000)).map((p) => p.recordId)).toEqual(['r2']);
      expect((await store.recordPlans.behind(0, 3000)).map((p) => p.recordId)).toEqual(['r1']);
      await store.collectorState.write({ lastBackfill: { at: 7, since: 1, listed: 2, enqueued: 2 } }, 7);
      expect((await store.collectorState.read()).lastBackfill?.listed).toBe(2);
    });

    it('finishes a claim: removed, or due again; a reschedule while held survives unless authoritative', async () => {
      const q = store.workQueue;
      await q.enqueue({ kind: 'subscription', key: 'maintain', dueAt: 1000, payload: 'missed' }, 900);
      await q.enqueue({ kind: 'fetch-record', key: 'gone', dueAt: 1000 }, 900);
      await q.enqueue({ kind: 'fetch-record', key: 'kept', dueAt: 1000 }, 900);
      await q.enqueue({ kind: 'fetch-record', key: 'planned', dueAt: 1000 }, 900);
      const jobs = await q.claim({ owner: 'w1', now: 1000, leaseMs: 100, limit: 10 });
      const job = (key: string) => jobs.find((j) => j.key === key)!;
      expect(await q.stats(1050)).toMatchObject({ depth: 4, due: 4, leased: 4, oldestDueAt: null });
      // Due again later, its payload dropped once handled.
      expect(await q.finish(job('maintain'), 9000, 1010)).toBe(true);
      await q.clearPayload(job('maintain').id);
      expect(await q.get('subscription', 'maintain')).toMatchObject({
        dueAt: 9000,
        payload: null,
        attempts: 0,
      });
      expect(await q.finish(job('gone'), null, 1010)).toBe(true);
      expect(await q.get('fetch-record', 'gone')).toBeUndefined();
      // Rescheduled while held: finishing with null keeps the new due time, unless the caller decides knowing it.
      await q.enqueue({ kind: 'fetch-record', key: 'kept', dueAt: 4000 }, 1020);
      await q.enqueue({ kind: 'fetch-record', key: 'planned', dueAt: 4000 }, 1020);
      expect(await q.finish(job('kept'), null, 1030)).toBe(true);
      expect(await q.get('fetch-record', 'kept')).toMatchObject({ dueAt: 4000, leaseToken: '' });
      expect(await q.finish(job('planned'), null, 1030, { authoritative: true })).toBe(true);
      expect(await q.get('fetch-record', 'planned')).toBeUndefined();
      // A finished claim cannot be finished again by its old holder.
      expect(await q.finish(job('kept'), 5000, 1040)).toBe(false);
      await q.remove('fetch-record', 'kept');
      expect(await q.stats(1050)).toEqual({
        depth: 1,
        due: 0,
        leased: 0,
        oldestDueAt: null,
        byKind: { subscription: 1 },
      });
    });
  });
}
