// The work queue on both databases: due order, coalescing, leases that expire, claims that never overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';
import { claim, enqueue, fail, finish, getJob, nextDueAt, queueStats, removeJob } from './work-queue.ts';

const t0 = Date.UTC(2026, 0, 5, 8);

for (const database of await testDatabases()) {
  describe(`work queue on ${database.name}`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      db = (await storeFromDb(opened.db, opened.url)).db;
      dispose = opened.dispose;
    });
    afterAll(() => dispose());

    it('claims due jobs only, oldest first, and counts attempts', async () => {
      await enqueue(db, { kind: 'a', key: 'late', dueAt: t0 + 60_000 }, t0);
      await enqueue(db, { kind: 'a', key: 'second', dueAt: t0 - 1000 }, t0);
      await enqueue(db, { kind: 'a', key: 'first', dueAt: t0 - 2000, payload: '{"x":1}' }, t0);
      const jobs = await claim(db, { owner: 'w1', now: t0, leaseMs: 30_000, limit: 10, kinds: ['a'] });
      expect(jobs.map((j) => j.key)).toEqual(['first', 'second']);
      expect(jobs[0].attempts).toBe(1);
      expect(jobs[0].payload).toBe('{"x":1}');
      expect(await nextDueAt(db, ['a'])).toBe(t0 - 2000);
      for (const j of jobs) expect(await finish(db, j, null, t0)).toBe(true);
      expect(await getJob(db, 'a', 'first')).toBeUndefined();
      await removeJob(db, 'a', 'late');
      expect(await nextDueAt(db, ['a'])).toBeNull();
    });

    it('coalesces jobs with the same key and keeps the earliest due time when asked', async () => {
      await enqueue(db, { kind: 'b', key: 'r1', dueAt: t0 + 5000 }, t0);
      await enqueue(db, { kind: 'b', key: 'r1', dueAt: t0 + 1000, due: 'earliest' }, t0);
      await enqueue(db, { kind: 'b', key: 'r1', dueAt: t0 + 9000, due: 'earliest' }, t0);
      expect((await getJob(db, 'b', 'r1'))?.dueAt).toBe(t0 + 1000);
      await enqueue(db, { kind: 'b', key: 'r1', dueAt: t0 + 9000 }, t0);
      expect((await getJob(db, 'b', 'r1'))?.dueAt).toBe(t0 + 9000);
      const stats = await queueStats(db, t0);
      expect(stats.byKind.b).toBe(1);
      await removeJob(db, 'b', 'r1');
    });

    it('lets another worker retake a claim whose lease expired; the first then loses it', async () => {
      await enqueue(db, { kind: 'c', key: 'x', dueAt: t0 }, t0);
      const [first] = await claim(db, { owner: 'w1', now: t0, leaseMs: 10_000, limit: 1, kinds: ['c'] });
      expect(
        await claim(db, { owner: 'w2', now: t0 + 5000, leaseMs: 10_000, limit: 1, kinds: ['c'] }),
      ).toEqual([]);
      const [second] = await claim(db, {
        owner: 'w2',
        now: t0 + 10_001,
        leaseMs: 10_000,
        limit: 1,
        kinds: ['c'],
      });
      expect(second.key).toBe('x');
      expect(second.attempts).toBe(2);
      expect(await finish(db, first, null, t0 + 10_002)).toBe(false);
      expect(await getJob(db, 'c', 'x')).toBeDefined();
      expect(await finish(db, second, null, t0 + 10_003)).toBe(true);
      expect(await getJob(db, 'c', 'x')).toBeUndefined();
    });

    it('keeps a job rescheduled while it was held, and reschedules or retries on request', async () => {
      await enqueue(db, { kind: 'd', key: 'y', dueAt: t0 }, t0);
      const [held] = await claim(db, { owner: 'w1', now: t0, leaseMs: 10_000, limit: 1, kinds: ['d'] });
      await enqueue(db, { kind: 'd', key: 'y', dueAt: t0 + 60_000 }, t0 + 1);
      expect(await finish(db, held, null, t0 + 2)).toBe(true);
      const kept = await getJob(db, 'd', 'y');
      expect(kept?.dueAt).toBe(t0 + 60_000);
      expect(kept?.leaseUntil).toBe(0);
      const [again] = await claim(db, {
        owner: 'w1',
        now: t0 + 60_000,
        leaseMs: 10_000,
        limit: 1,
        kinds: ['d'],
      });
      expect(await fail(db, again, t0 + 120_000, 'HTTP 503', t0 + 60_001)).toBe(true);
      const failed = await getJob(db, 'd', 'y');
      expect(failed?.lastError).toBe('HTTP 503');
      expect(failed?.attempts).toBe(1);
      const [third] = await claim(db, {
        owner: 'w1',
        now: t0 + 120_000,
        leaseMs: 10_000,
        limit: 1,
        kinds: ['d'],
      });
      expect(third.attempts).toBe(2);
      expect(await finish(db, third, t0 + 500_000, t0 + 120_001)).toBe(true);
      const next = await getJob(db, 'd', 'y');
      expect(next?.dueAt).toBe(t0 + 500_000);
      expect(next?.attempts).toBe(0);
      await removeJob(db, 'd', 'y');
    });

    it('never hands one job to two concurrent claimers', async () => {
      for (let i = 0; i < 40; i++) await enqueue(db, { kind: 'e', key: `k${i}`, dueAt: t0 }, t0);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, w) =>
          claim(db, { owner: `w${w}`, now: t0, leaseMs: 60_000, limit: 7, kinds: ['e'] }),
        ),
      );
      const keys = claims.flat().map((j) => j.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(40);
      const stats = await queueStats(db, t0);
      expect(stats.leased).toBe(40);
      expect(stats.oldestDueAt).toBeNull();
    });

    it('reports depth and the oldest due job that nobody works on', async () => {
      await enqueue(db, { kind: 'f', key: 'old', dueAt: t0 - 3_600_000 }, t0);
      await enqueue(db, { kind: 'f', key: 'future', dueAt: t0 + 3_600_000 }, t0);
      const stats = await queueStats(db, t0);
      expect(stats.byKind.f).toBe(2);
      expect(stats.oldestDueAt).toBe(t0 - 3_600_000);
    });
  });
}
