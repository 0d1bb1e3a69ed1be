// The alert repository and outbox contract, run unchanged on SQLite and PostgreSQL: episodes, history, mutes,
// ordered claims under leases, retries, the evaluation lease.
import { describe, expect, it } from 'vitest';
import type { AlertFields } from './alerts.ts';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

const firing = (over: Partial<AlertFields> = {}): Partial<AlertFields> => ({
  ruleId: 'audio-poor-rate',
  scopeKey: 'building:Chicago Loop',
  scopeLabel: 'Chicago Loop',
  severity: 'warning',
  state: 'firing',
  startedAt: 1000,
  value: 12.5,
  threshold: 3,
  peakValue: 12.5,
  unit: '%',
  title: 'Audio poor stream rate 12.5% in Chicago Loop',
  explanation: 'target 3%',
  url: 'http://127.0.0.1:3000/#/alerts',
  details: { streams: 400 },
  ...over,
});

for (const database of await testDatabases()) {
  describe(`alert repository contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'each', (s) => {
      store = s;
    });

    it('saves an episode with its event and deliveries in one go, and reads it back', async () => {
      const { alertId, eventId } = await store.alerts.save(
        {
          fields: firing(),
          event: { kind: 'fired', value: 12.5 },
          deliveries: { channels: ['ops', 'mail'], message: (id) => JSON.stringify({ alert: id }) },
        },
        1000,
      );
      const a = await store.alerts.get(alertId);
      expect(a).toMatchObject({ state: 'firing', value: 12.5, threshold: 3, details: { streams: 400 } });
      expect((await store.alerts.open()).map((x) => x.id)).toEqual([alertId]);
      expect((await store.alerts.events(alertId)).map((e) => e.kind)).toEqual(['fired']);
      const out = await store.alertOutbox.forAlert(alertId);
      expect(JSON.parse(out[0].message)).toEqual({ alert: alertId });
      expect(out.map((d) => [d.channel, d.deliveryKey, d.state])).toEqual([
        ['ops', `${eventId}:ops`, 'pending'],
        ['mail', `${eventId}:mail`, 'pending'],
      ]);
    });

    it('refuses a second open episode of the same rule and scope, allows one after the first resolved', async () => {
      const { alertId } = await store.alerts.save({ fields: firing() }, 1000);
      await expect(store.alerts.save({ fields: firing() }, 1001)).rejects.toThrow();
      await store.alerts.save({ alertId, fields: { state: 'resolved', resolvedAt: 2000 } }, 2000);
      const second = await store.alerts.save({ fields: firing({ startedAt: 3000 }) }, 3000);
      expect(second.alertId).not.toBe(alertId);
      expect((await store.alerts.latest('audio-poor-rate', 'building:Chicago Loop'))?.id).toBe(
        second.alertId,
      );
      expect((await store.alerts.list({ state: 'resolved' })).map((x) => x.id)).toEqual([alertId]);
    });

    it('acknowledges once, and mutes until a time (ended early by unmute)', async () => {
      const { alertId } = await store.alerts.save({ fields: firing() }, 1000);
      expect((await store.alerts.acknowledge(alertId, 'cli', 1500))?.ackedAt).toBe(1500);
      expect((await store.alerts.acknowledge(alertId, 'cli', 1600))?.ackedAt).toBe(1500);
      expect((await store.alerts.events(alertId)).map((e) => e.kind)).toEqual(['acknowledged']);
      await store.alerts.mute(
        { ruleId: 'audio-poor-rate', scopeKey: '*', untilAt: 5000, actor: 'cli' },
        1000,
      );
      expect((await store.alerts.mutes(4999)).map((m) => m.scopeKey)).toEqual(['*']);
      expect(await store.alerts.mutes(5000)).toEqual([]);
      expect(await store.alerts.unmute({ ruleId: 'audio-poor-rate', scopeKey: '*' }, 'cli', 2000)).toBe(1);
      expect(await store.alerts.mutes(2001)).toEqual([]);
    });

    it('claims the oldest pending message of each alert and channel only, and never one claimed by another', async () => {
      const a = await store.alerts.save(
        {
          fields: firing(),
          event: { kind: 'fired' },
          deliveries: { channels: ['ops'], message: () => 'fired' },
        },
        1000,
      );
      await store.alerts.save(
        {
          alertId: a.alertId,
          fields: { state: 'resolved' },
          event: { kind: 'resolved' },
          deliveries: { channels: ['ops'], message: () => 'resolved' },
        },
        1100,
      );
      const o = store.alertOutbox;
      const first = await o.claim({ now: 2000, leaseMs: 60_000, limit: 10, owner: 'p1' });
      expect(first.map((d) => d.message)).toEqual(['fired']);
      expect(await o.claim({ now: 2000, leaseMs: 60_000, limit: 10, owner: 'p2' })).toEqual([]);
      expect(await o.delivered(first[0], 2100)).toBe(true);
      expect(await o.delivered(first[0], 2100)).toBe(false);
      const second = await o.claim({ now: 2200, leaseMs: 60_000, limit: 10, owner: 'p2' });
      expect(second.map((d) => [d.message, d.attempts])).toEqual([['resolved', 1]]);
      expect(await o.stats()).toMatchObject({ pending: 1, delivered: 1, failed: 0, oldestPendingAt: 1100 });
    });

    it('retries after the backoff (or at once when asked to), takes back an expired lease, gives up', async () => {
      const a = await store.alerts.save(
        { fields: firing(), event: { kind: 'fired' }, deliveries: { channels: ['ops'], message: () => 'm' } },
        1000,
      );
      const o = store.alertOutbox;
      const [d] = await o.claim({ now: 1000, leaseMs: 10_000, limit: 5, owner: 'p1' });
      await o.retry(d, 31_000, 'HTTP 500', 1001);
      expect(await o.claim({ now: 30_000, leaseMs: 10_000, limit: 5, owner: 'p1' })).toEqual([]);
      // A cron run retries what earlier runs attempted, not what it attempted itself.
      expect(
        await o.claim({ now: 30_000, leaseMs: 10_000, limit: 5, owner: 'p1', retryAttemptedBefore: 1000 }),
      ).toEqual([]);
      const [now] = await o.claim({
        now: 30_000,
        leaseMs: 10_000,
        limit: 5,
        owner: 'p1',
        retryAttemptedBefore: 1001,
      });
      expect(now.attempts).toBe(2);
      // The claimant died: its lease runs out and another process takes the message.
      const [taken] = await o.claim({ now: 41_000, leaseMs: 10_000, limit: 5, owner: 'p2' });
      expect(taken.attempts).toBe(3);
      expect(await o.delivered(now, 41_001)).toBe(false);
      await o.giveUp(taken, 'HTTP 404', 41_002);
      expect((await o.forAlert(a.alertId))[0]).toMatchObject({ state: 'failed', lastError: 'HTTP 404' });
      expect(
        await o.claim({ now: 99_000, leaseMs: 10_000, limit: 5, owner: 'p3', retryAttemptedBefore: 99_000 }),
      ).toEqual([]);
    });

    it('gives the evaluation lease to one holder at a time until it is released or runs out', async () => {
      const o = store.alertOutbox;
      expect(await o.tryLease('evaluate', 'p1', 1000, 60_000)).toBe(true);
      expect(await o.tryLease('evaluate', 'p2', 1001, 60_000)).toBe(false);
      expect(await o.tryLease('evaluate', 'p1', 1002, 60_000)).toBe(true);
      expect(await o.lastRun('evaluate')).toBeNull();
      await o.releaseLease('evaluate', 'p1', 2000);
      expect(await o.lastRun('evaluate')).toBe(2000);
      expect(await o.tryLease('evaluate', 'p2', 2001, 60_000)).toBe(true);
      expect(await o.tryLease('evaluate', 'p3', 62_002, 60_000)).toBe(true);
    });
  });
}
