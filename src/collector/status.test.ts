// `calltrove status`: the facts, and what is wrong said plainly (on both databases).
import { describe, expect, it } from 'vitest';
import { writeCollectorState } from '../store/collector-state.ts';
import { appendToInbox } from '../store/notification-inbox.ts';
import type { Store } from '../store/store.ts';
import { testDatabases, useTestStore } from '../store/test-stores.ts';
import { enqueue } from '../store/work-queue.ts';
import { collectorStatus, formatStatus } from './status.ts';

const now = Date.UTC(2026, 0, 20, 12);
const hour = 3600_000;
const url = 'https://calltrove.example.com/api/notifications';

for (const database of await testDatabases())
  describe(`collector status on ${database.name}`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });

    it('says when no collector has ever run', async () => {
      const s = await collectorStatus(store, { now, notificationUrl: url });
      expect(s.health).toBe('failing');
      expect(s.problems.map((p) => p.message).join('\n')).toContain('no collector has run');
    });

    it('is ok when the subscription is active and records arrive', async () => {
      await writeCollectorState(
        store.db,
        {
          heartbeatAt: now - 30_000,
          startedAt: now - 5 * hour,
          mode: 'service',
          subscription: {
            id: 's',
            expiresAt: now + 48 * hour,
            clientState: 'x',
            notificationUrl: url,
            createdAt: now - 5 * hour,
          },
          lastNotificationAt: now - 60_000,
          lastRecordStored: { at: now - 50_000, id: 'r', version: 3 },
        },
        now,
      );
      const s = await collectorStatus(store, { now, notificationUrl: url });
      expect(s.problems).toEqual([]);
      expect(s.health).toBe('ok');
      expect(formatStatus(s)).toContain('subscription: active, expires at 2026-01-22T12:00:00Z');
    });

    it('says plainly that notifications stopped and the subscription expired', async () => {
      await writeCollectorState(
        store.db,
        {
          subscription: {
            id: 's',
            expiresAt: now - hour,
            clientState: 'x',
            notificationUrl: url,
            createdAt: now - 80 * hour,
          },
          lastNotificationAt: now - 7 * hour,
          heartbeatAt: now - 3 * hour,
        },
        now,
      );
      const s = await collectorStatus(store, { now, notificationUrl: url });
      expect(s.health).toBe('failing');
      const text = formatStatus(s);
      expect(text).toContain('no notification for 7 h and the subscription expired at 2026-01-20T11:00:00Z');
      expect(text).toContain('the collector is not running: last seen 3 h ago');
    });

    it('reports work falling behind and notifications nobody plans', async () => {
      await enqueue(store.db, { kind: 'fetch-record', key: 'late', dueAt: now - hour }, now - hour);
      await appendToInbox(
        store.db,
        [
          {
            kind: 'change',
            recordId: 'r9',
            changeType: 'updated',
            lifecycleEvent: null,
            subscriptionId: 's',
            body: '{}',
          },
        ],
        now - 10 * 60_000,
      );
      const s = await collectorStatus(store, { now, notificationUrl: url });
      const text = s.problems.map((p) => p.message).join('\n');
      expect(text).toContain('work is falling behind: the oldest pending job has been due for 60 min');
      expect(text).toContain('1 notifications have waited since 2026-01-20T11:50:00Z');
      expect(s.queue.oldestDueAt).toBe(now - hour);
    });

    it('warns that without a notification URL only reconciliation brings records', async () => {
      await writeCollectorState(store.db, { subscription: null }, now);
      const s = await collectorStatus(store, { now, reconcileEveryMs: hour });
      expect(s.problems.map((p) => p.message).join('\n')).toContain(
        'no notification URL is configured (CALLTROVE_NOTIFICATION_URL)',
      );
    });
  });
