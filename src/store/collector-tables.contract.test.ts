// The collector's repositories besides the work queue (store.inbox, store.collectorState, store.recordPlans) and
// Store.transaction, run unchanged on SQLite and PostgreSQL: inbox order, state fields, version plans, rollback.
import { describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

const t0 = Date.UTC(2026, 0, 5, 8);

for (const database of await testDatabases()) {
  describe(`collector tables on ${database.name}`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });

    it('keeps inbox entries in arrival order until they are deleted', async () => {
      await store.inbox.append(
        [
          {
            kind: 'change',
            recordId: 'r1',
            changeType: 'created',
            lifecycleEvent: null,
            subscriptionId: 's',
            body: '{}',
          },
          {
            kind: 'lifecycle',
            recordId: null,
            changeType: null,
            lifecycleEvent: 'missed',
            subscriptionId: 's',
            body: '{}',
          },
        ],
        t0,
      );
      await store.inbox.append(
        [
          {
            kind: 'change',
            recordId: 'r2',
            changeType: 'updated',
            lifecycleEvent: null,
            subscriptionId: 's',
            body: '{}',
          },
        ],
        t0 + 5,
      );
      expect(await store.inbox.stats()).toEqual({ depth: 3, oldestReceivedAt: t0 });
      const read = await store.transaction((tx) => tx.inbox.read(2));
      expect(read.map((r) => r.recordId ?? r.lifecycleEvent)).toEqual(['r1', 'missed']);
      await store.transaction((tx) => tx.inbox.remove(read.map((r) => r.id)));
      const rest = await store.transaction((tx) => tx.inbox.read(10));
      expect(rest.map((r) => r.recordId)).toEqual(['r2']);
      expect(rest[0].receivedAt).toBe(t0 + 5);
    });

    it('remembers collector state field by field, and moves timestamps forward only', async () => {
      await store.collectorState.write(
        {
          subscription: {
            id: 's1',
            expiresAt: t0 + 1000,
            clientState: 'cs',
            notificationUrl: 'https://x/n',
            createdAt: t0,
          },
        },
        t0,
      );
      await store.collectorState.write({ lastRecordStored: { at: t0, id: 'r', version: 2 } }, t0);
      await store.collectorState.advanceTime('lastNotificationAt', t0 + 10);
      await store.collectorState.advanceTime('lastNotificationAt', t0 + 5);
      const state = await store.collectorState.read();
      expect(state.subscription?.id).toBe('s1');
      expect(state.lastRecordStored?.version).toBe(2);
      expect(state.lastNotificationAt).toBe(t0 + 10);
      await store.collectorState.write({ subscription: null }, t0 + 20);
      expect((await store.collectorState.read()).subscription).toBeNull();
    });

    it('tracks notifications, listed and stored versions per record', async () => {
      await store.recordPlans.noteNotified('p1', 1, t0);
      await store.recordPlans.noteNotified('p1', 2, t0 + 100);
      let plan = await store.recordPlans.get('p1');
      expect(plan).toMatchObject({
        firstNotifiedAt: t0,
        lastNotifiedAt: t0 + 100,
        notifySeq: 3,
        fetchedSeq: 0,
      });
      await store.recordPlans.noteStored(
        'p1',
        { version: 2, startAt: t0 - 600_000, endAt: t0 - 60_000, seqAtStart: 3 },
        t0 + 200,
      );
      await store.recordPlans.noteListed(
        'p1',
        { version: 1, modifiedAt: t0, startAt: null, endAt: null },
        t0 + 300,
      );
      plan = await store.recordPlans.get('p1');
      expect(plan).toMatchObject({
        storedVersion: 2,
        knownVersion: 2,
        fetchedSeq: 3,
        fetches: 1,
        firstStoredAt: t0 + 200,
      });
      expect(plan?.endAt).toBe(t0 - 60_000);
      await store.recordPlans.noteListed(
        'p1',
        { version: 4, modifiedAt: t0 + 250, startAt: null, endAt: null },
        t0 + 300,
      );
      expect((await store.recordPlans.get('p1'))?.knownVersion).toBe(4);
      await store.recordPlans.noteNotified('p2', 1, t0);
      await store.recordPlans.noteMissing('p2', t0 + 1);
      expect((await store.recordPlans.get('p2'))?.missingSince).toBe(t0 + 1);
      expect((await store.recordPlans.dueForFinalCheck(t0, 10)).map((p) => p.recordId)).toEqual(['p1']);
      await store.recordPlans.markFinalChecked(['p1']);
      expect(await store.recordPlans.dueForFinalCheck(t0, 10)).toEqual([]);
      // Listed but never announced: the subscription-quiet alert's proof that calls happen.
      await store.recordPlans.noteListed(
        'p3',
        { version: 1, modifiedAt: t0, startAt: t0, endAt: t0 + 50 },
        t0,
      );
      expect(await store.recordPlans.countUnannouncedSince(t0)).toBe(1);
      expect(await store.recordPlans.countUnannouncedSince(t0 + 51)).toBe(0);
    });

    it('runs a collector transaction whole or not at all, its plan row read for update', async () => {
      await store.inbox.append(
        [
          {
            kind: 'change',
            recordId: 'q1',
            changeType: 'created',
            lifecycleEvent: null,
            subscriptionId: 's',
            body: '{}',
          },
        ],
        t0,
      );
      const before = await store.inbox.stats();
      // A step that fails after it wrote to every repository leaves none of its writes behind.
      await expect(
        store.transaction(async (tx) => {
          const rows = await tx.inbox.read(10);
          await tx.recordPlans.noteNotified('q1', rows.length, t0);
          expect((await tx.recordPlans.getForUpdate('q1'))?.notifySeq).toBe(rows.length);
          await tx.workQueue.enqueue({ kind: 'fetch-record', key: 'q1', dueAt: t0 }, t0);
          await tx.collectorState.advanceTime('lastNotificationAt', t0 + 10_000);
          await tx.inbox.remove(rows.map((r) => r.id));
          throw new Error('crash mid-step');
        }),
      ).rejects.toThrow('crash mid-step');
      expect(await store.inbox.stats()).toEqual(before);
      expect(await store.recordPlans.get('q1')).toBeNull();
      expect(await store.workQueue.get('fetch-record', 'q1')).toBeUndefined();
      expect((await store.collectorState.read()).lastNotificationAt).toBe(t0 + 10);
      // The same step committed: the notifications became a plan and a job, and left the inbox.
      const planned = await store.transaction(async (tx) => {
        const rows = await tx.inbox.read(10);
        await tx.recordPlans.noteNotified('q1', rows.length, t0);
        await tx.workQueue.enqueue({ kind: 'fetch-record', key: 'q1', dueAt: t0 }, t0);
        await tx.inbox.remove(rows.map((r) => r.id));
        return rows.length;
      });
      expect(planned).toBe(before.depth);
      expect((await store.inbox.stats()).depth).toBe(0);
      expect((await store.recordPlans.get('q1'))?.notifySeq).toBe(planned);
      expect((await store.workQueue.get('fetch-record', 'q1'))?.dueAt).toBe(t0);
    });
  });
}
