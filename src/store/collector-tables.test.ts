// The collector's other tables on both databases: inbox, state, version plans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceCollectorTime, readCollectorState, writeCollectorState } from './collector-state.ts';
import type { Db } from './db.ts';
import { appendToInbox, deleteFromInbox, inboxStats, readInbox } from './notification-inbox.ts';
import {
  getPlan,
  markFinalChecked,
  noteListed,
  noteMissing,
  noteNotified,
  noteStored,
  plansDueForFinalCheck,
} from './record-plans.ts';
import { storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';

const t0 = Date.UTC(2026, 0, 5, 8);

for (const database of await testDatabases()) {
  describe(`collector tables on ${database.name}`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      db = (await storeFromDb(opened.db, opened.url)).db;
      dispose = opened.dispose;
    });
    afterAll(() => dispose());

    it('keeps inbox entries in arrival order until they are deleted', async () => {
      await appendToInbox(
        db,
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
      await appendToInbox(
        db,
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
      expect(await inboxStats(db)).toEqual({ depth: 3, oldestReceivedAt: t0 });
      const read = await db.transaction((tx) => readInbox(tx, 2));
      expect(read.map((r) => r.recordId ?? r.lifecycleEvent)).toEqual(['r1', 'missed']);
      await db.transaction((tx) =>
        deleteFromInbox(
          tx,
          read.map((r) => r.id),
        ),
      );
      const rest = await db.transaction((tx) => readInbox(tx, 10));
      expect(rest.map((r) => r.recordId)).toEqual(['r2']);
      expect(rest[0].receivedAt).toBe(t0 + 5);
    });

    it('remembers collector state field by field, and moves timestamps forward only', async () => {
      await writeCollectorState(
        db,
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
      await writeCollectorState(db, { lastRecordStored: { at: t0, id: 'r', version: 2 } }, t0);
      await advanceCollectorTime(db, 'lastNotificationAt', t0 + 10);
      await advanceCollectorTime(db, 'lastNotificationAt', t0 + 5);
      const state = await readCollectorState(db);
      expect(state.subscription?.id).toBe('s1');
      expect(state.lastRecordStored?.version).toBe(2);
      expect(state.lastNotificationAt).toBe(t0 + 10);
      await writeCollectorState(db, { subscription: null }, t0 + 20);
      expect((await readCollectorState(db)).subscription).toBeNull();
    });

    it('tracks notifications, listed and stored versions per record', async () => {
      await noteNotified(db, 'p1', 1, t0);
      await noteNotified(db, 'p1', 2, t0 + 100);
      let plan = await getPlan(db, 'p1');
      expect(plan).toMatchObject({
        firstNotifiedAt: t0,
        lastNotifiedAt: t0 + 100,
        notifySeq: 3,
        fetchedSeq: 0,
      });
      await noteStored(
        db,
        'p1',
        { version: 2, startAt: t0 - 600_000, endAt: t0 - 60_000, seqAtStart: 3 },
        t0 + 200,
      );
      await noteListed(db, 'p1', { version: 1, modifiedAt: t0, startAt: null, endAt: null }, t0 + 300);
      plan = await getPlan(db, 'p1');
      expect(plan).toMatchObject({
        storedVersion: 2,
        knownVersion: 2,
        fetchedSeq: 3,
        fetches: 1,
        firstStoredAt: t0 + 200,
      });
      expect(plan?.endAt).toBe(t0 - 60_000);
      await noteListed(db, 'p1', { version: 4, modifiedAt: t0 + 250, startAt: null, endAt: null }, t0 + 300);
      expect((await getPlan(db, 'p1'))?.knownVersion).toBe(4);
      await noteNotified(db, 'p2', 1, t0);
      await noteMissing(db, 'p2', t0 + 1);
      expect((await getPlan(db, 'p2'))?.missingSince).toBe(t0 + 1);
      expect((await plansDueForFinalCheck(db, t0, 10)).map((p) => p.recordId)).toEqual(['p1']);
      await markFinalChecked(db, ['p1']);
      expect(await plansDueForFinalCheck(db, t0, 10)).toEqual([]);
    });
  });
}
