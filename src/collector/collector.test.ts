// The composed collector against a small in-memory Graph: notifications to store, coalescing, lost notifications,
// a removed subscription, and start-up errors that say what to fix. Runs on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { CalltroveError } from '../errors.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { readCollectorState } from '../store/collector-state.ts';
import { allPlans } from '../store/record-plans.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { getJob } from '../store/work-queue.ts';
import { type RunningCollector, startCollector } from './collector.ts';
import { collectOnce } from './once.ts';
import { backfill, finalCheck } from './reconcile.ts';
import { MiniGraph } from './test-graph.ts';

const min = 60_000;
const config = loadConfig({
  overrides: {
    tenantId: 'tenant-1',
    clientId: 'client-1',
    clientSecret: 'right-secret',
    graphUrl: 'https://graph.test/v1.0',
    authorityUrl: 'https://login.test',
    notificationUrl: 'https://collector.test/notify',
    planner: { settleSeconds: 600, finalHorizonSeconds: 3 * 3600, reconcileEverySeconds: 1800 },
  },
});

async function storedVersions(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of await allPlans(store.db)) {
    const v = await store.records.storedVersion(p.recordId);
    if (v !== undefined) out[p.recordId] = v;
  }
  return out;
}

function setup(clock: ManualClock, dropEvery?: number) {
  let webhook: RunningCollector['webhook'] | undefined;
  const graph = new MiniGraph({
    clock,
    dropEvery,
    notify: async (url, init) =>
      webhook ? webhook.fetch(new Request(url, init)) : new Response(null, { status: 503 }),
  });
  return {
    graph,
    start(store: Store, settings = {}) {
      return startCollector({
        config,
        store,
        clock,
        fetch: graph.fetch,
        settings: { pstn: false, ...settings },
        pollMs: 60_000,
        onWebhook: (w) => {
          webhook = w;
        },
      });
    },
  };
}

/** Lists the last day as a backfill would, so the records get fetch jobs (no notification needed). */
async function collectOnceList(c: RunningCollector, now: number) {
  await backfill(c.ctx, now - 86_400_000);
}

/** Moves time in steps, letting the collector finish what fell due at each (real database I/O takes real time). */
async function run(clock: ManualClock, c: RunningCollector, ms: number, stepMs = min) {
  for (let t = 0; t < ms; t += stepMs) {
    await clock.advance(stepMs);
    await c.drain();
  }
}

for (const database of await testDatabases()) {
  describe(`collector on ${database.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      store = await storeFromDb(opened.db, opened.url);
      dispose = opened.dispose;
    });
    afterAll(() => dispose());

    it('stores v1 at once, coalesces updates, ends at every latest version with few requests', async () => {
      const clock = new ManualClock();
      const env = setup(clock);
      const c = await env.start(store);
      expect(env.graph.subscriptions.size).toBe(1);
      const t0 = clock.now();
      for (let i = 0; i < 20; i++) await env.graph.put(`call-${i}`, t0 - 30 * min, t0 - 10 * min);
      await c.drain();
      expect(await storedVersions(store)).toEqual(env.graph.truth());
      // Telemetry keeps arriving for a while: three more versions each, a minute apart.
      for (let v = 0; v < 3; v++) {
        await run(clock, c, min);
        for (let i = 0; i < 20; i++) await env.graph.put(`call-${i}`, t0 - 30 * min, t0 - 10 * min);
      }
      await run(clock, c, 15 * min);
      expect(await storedVersions(store)).toEqual(env.graph.truth());
      expect(env.graph.requests.record).toBe(40);
      const status = await c.status();
      expect(status.subscription.active).toBe(true);
      expect(status.lastRecordStored?.version).toBe(4);
      await c.stop();
    });

    it('recovers dropped notifications and a removed subscription through reconciliation', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 6, 8));
      const env = setup(clock, 3);
      const c = await env.start(store);
      const t0 = clock.now();
      for (let i = 0; i < 12; i++) await env.graph.put(`lost-${i}`, t0 - 20 * min, t0 - 5 * min);
      // An outage removes the subscription without a word.
      env.graph.subscriptions.clear();
      for (let i = 12; i < 15; i++) await env.graph.put(`lost-${i}`, t0 - 20 * min, t0 - 5 * min);
      await run(clock, c, 40 * min, 5 * min);
      const stored = await storedVersions(store);
      for (const [id, v] of Object.entries(env.graph.truth())) expect(stored[id]).toBe(v);
      // The hourly check finds the subscription gone and creates a new one; notifications flow again.
      await run(clock, c, 65 * min, 5 * min);
      expect(env.graph.subscriptions.size).toBe(1);
      await env.graph.put('after-outage', clock.now() - 10 * min, clock.now() - 5 * min);
      await c.drain();
      expect(await store.records.storedVersion('after-outage')).toBe(1);
      await c.stop();
    });

    it('acts on lifecycle notifications: renews on reauthorizationRequired, recreates on subscriptionRemoved', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 8, 8));
      const env = setup(clock);
      const c = await env.start(store);
      const lifecycle = async (event: string) => {
        const { subscription } = await readCollectorState(store.db);
        const body = JSON.stringify({
          value: [
            {
              lifecycleEvent: event,
              subscriptionId: subscription?.id,
              clientState: subscription?.clientState,
              tenantId: 'tenant-1',
            },
          ],
        });
        const res = await c.webhook.fetch(
          new Request('https://collector.test/notify', { method: 'POST', body }),
        );
        expect(res.status).toBe(202);
        await c.drain();
      };
      const first = (await readCollectorState(store.db)).subscription;
      await clock.advance(10 * min);
      const before = env.graph.requests.subscription;
      await lifecycle('reauthorizationRequired');
      const renewed = (await readCollectorState(store.db)).subscription;
      expect(renewed?.id).toBe(first?.id);
      expect(renewed?.renewedAt).toBe(clock.now());
      expect(env.graph.requests.subscription).toBe(before + 2);
      await lifecycle('subscriptionRemoved');
      const recreated = (await readCollectorState(store.db)).subscription;
      expect(recreated?.id).not.toBe(first?.id);
      expect(env.graph.subscriptions.has(recreated?.id ?? '')).toBe(true);
      await c.stop();
    });

    it('renews the subscription before it expires, once, at the renewal point', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 9, 8));
      const env = setup(clock);
      const c = await env.start(store);
      const created = (await readCollectorState(store.db)).subscription!;
      await run(clock, c, 36 * 60 * min, 30 * min);
      const renewed = (await readCollectorState(store.db)).subscription!;
      expect(renewed.id).toBe(created.id);
      expect(renewed.renewedAt).toBeGreaterThan(created.createdAt);
      expect(renewed.expiresAt).toBeGreaterThan(created.expiresAt);
      expect(env.graph.subscriptions.get(created.id)?.expiresAt).toBe(renewed.expiresAt);
      await c.stop();
    });

    it('backfills once: lists, fetches what is missing, skips what is stored', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 7, 8));
      const env = setup(clock);
      const t0 = clock.now();
      for (let i = 0; i < 70; i++)
        await env.graph.put(`old-${i}`, t0 - 2 * 86_400_000 + i * min, t0 - 86_400_000);
      const first = await collectOnce({
        config,
        store,
        clock,
        fetch: env.graph.fetch,
        since: t0 - 3 * 86_400_000,
      });
      expect(first.listed).toBe(70);
      expect(first.pages).toBe(2);
      const before = env.graph.requests.record;
      const second = await collectOnce({
        config,
        store,
        clock,
        fetch: env.graph.fetch,
        since: t0 - 3 * 86_400_000,
      });
      expect(second.planned).toBe(0);
      expect(env.graph.requests.record).toBe(before);
      const stored = await storedVersions(store);
      for (let i = 0; i < 70; i++) expect(stored[`old-${i}`]).toBe(1);
    });

    it('final-horizon checks list every record of their windows to the millisecond, a lone one too', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 22, 12));
      const env = setup(clock);
      const t0 = clock.now();
      // Two records in the same second (the second one's window ends 1 ms after it), and one alone.
      const starts = {
        'ms-a': t0 - 20 * min + 250,
        'ms-b': t0 - 20 * min + 998,
        'ms-lone': t0 - 15 * min + 500,
      };
      for (const [id, start] of Object.entries(starts)) await env.graph.put(id, start, start + 10 * min);
      const first = await collectOnce({ config, store, clock, fetch: env.graph.fetch, since: t0 - 3600_000 });
      expect(first.left).toEqual([]);
      // Newer versions whose notifications never came (no subscription): only the final check can find them.
      for (const [id, start] of Object.entries(starts)) await env.graph.put(id, start, start + 10 * min);
      // Past the final horizon (3 h) of every end, yet after the sweep's windows (which end a horizon and an hour
      // back): the records' own start windows are what is listed.
      await clock.advance(3 * 3600_000);
      const c = await env.start(store, { pstn: false });
      try {
        const r = await finalCheck(c.ctx);
        expect(r.planned).toBe(3);
        await c.drain();
      } finally {
        await c.stop();
      }
      for (const id of Object.keys(starts)) expect(await store.records.storedVersion(id)).toBe(2);
      const plans = (await allPlans(store.db)).filter((p) => p.recordId in starts);
      expect(plans.every((p) => p.finalChecked)).toBe(true);
    });

    it('extends the lease of a job while it runs, so no other collector takes it over', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 24, 8));
      const env = setup(clock);
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const c = await startCollector({
        config,
        store,
        clock,
        // The record's request hangs until released (a slow Graph), far past the 60 s lease.
        fetch: async (url, init) => {
          if (url.includes('/callRecords/slow')) await held;
          return env.graph.fetch(url, init);
        },
        settings: { pstn: false, leaseMs: 60_000 },
        requestTimeoutMs: 3600_000,
        pollMs: 60_000,
        mode: 'once',
      });
      try {
        const t0 = clock.now();
        await env.graph.put('slow', t0 - 20 * min, t0 - 10 * min);
        await collectOnceList(c, t0);
        let first: number | undefined;
        for (let i = 0; i < 100 && first === undefined; i++) {
          const job = await getJob(store.db, 'fetch-record', 'slow');
          if (job?.leaseToken) first = job.leaseUntil;
          else await new Promise((r) => setTimeout(r, 10));
        }
        expect(first).toBeDefined();
        // In steps, with real time between them for the extensions' database writes.
        for (let i = 0; i < 10; i++) {
          await clock.advance(10_000);
          await new Promise((r) => setTimeout(r, 20));
        }
        // 100 s later the 60 s lease would have run out; it was extended instead, and is still this job's.
        const later = await getJob(store.db, 'fetch-record', 'slow');
        expect(later?.leaseToken).toBeTruthy();
        expect(later?.leaseUntil).toBeGreaterThan(clock.now());
        release();
        await c.drain();
        expect(await store.records.storedVersion('slow')).toBe(1);
      } finally {
        release();
        await c.stop();
      }
    });

    it('stop() ends a job waiting on Graph and gives it back unleased, due as it was', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 25, 8));
      const env = setup(clock);
      const stop = new AbortController();
      const c = await startCollector({
        config,
        store,
        clock,
        // Graph never answers this record (and the fetch ignores its signal): only the stop can end the wait.
        fetch: (url, init) =>
          url.includes('/callRecords/hung')
            ? new Promise<Response>(() => undefined)
            : env.graph.fetch(url, init),
        settings: { pstn: false },
        requestTimeoutMs: 3600_000,
        mode: 'once',
        signal: stop.signal,
      });
      const t0 = clock.now();
      await env.graph.put('hung', t0 - 20 * min, t0 - 10 * min);
      await collectOnceList(c, t0);
      for (let i = 0; i < 100 && !(await getJob(store.db, 'fetch-record', 'hung'))?.leaseToken; i++)
        await new Promise((r) => setTimeout(r, 10));
      const due = (await getJob(store.db, 'fetch-record', 'hung'))?.dueAt;
      stop.abort(new Error('SIGTERM'));
      await c.stop();
      const after = await getJob(store.db, 'fetch-record', 'hung');
      expect(after?.leaseToken).toBeFalsy();
      expect(after?.dueAt).toBe(due);
      expect(after?.attempts).toBe(0);
    });

    it('fetches whole a record stored incomplete by an import (a list item, sessions cut off)', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 20, 8));
      const env = setup(clock);
      const t0 = clock.now();
      await env.graph.put('listed-only', t0 - 2 * 3600_000, t0 - 3600_000);
      await env.graph.put('cut-off', t0 - 2 * 3600_000, t0 - 3600_000);
      // What `calltrove import` of a list page stores: the record at its version, without sessions.
      const { sessions: _s, ...listItem } = env.graph.recordJson('listed-only');
      await ingestRecord(store, listItem, { source: 'import', receivedAt: t0 });
      const cut = env.graph.recordJson('cut-off');
      cut['sessions@odata.nextLink'] =
        'https://graph.test/v1.0/communications/callRecords/cut-off/sessions?$skiptoken=2';
      await ingestRecord(store, cut, { source: 'import', receivedAt: t0 });
      expect((await store.records.rows('listed-only'))?.sessions ?? []).toHaveLength(0);
      const before = env.graph.requests.record ?? 0;
      const r = await collectOnce({ config, store, clock, fetch: env.graph.fetch, since: t0 - 86_400_000 });
      expect(r.left).toEqual([]);
      // Both fetched again although their stored version equals Graph's: the stored copies were not whole.
      expect((env.graph.requests.record ?? 0) - before).toBe(2);
      expect((await store.records.rows('listed-only'))?.sessions.length).toBeGreaterThan(0);
      expect(await store.records.storedVersion('listed-only')).toBe(1);
    });
  });
}

describe('collector start-up errors', () => {
  it('stops on a wrong secret, naming the setting', async () => {
    const [database] = await testDatabases();
    const opened = await database.open();
    const store = await storeFromDb(opened.db, opened.url);
    const clock = new ManualClock();
    const env = setup(clock);
    const wrong = loadConfig({ overrides: { ...config, clientSecret: 'wrong' } as never });
    const err = await startCollector({ config: wrong, store, clock, fetch: env.graph.fetch }).catch((e) => e);
    expect(err).toBeInstanceOf(CalltroveError);
    expect((err as CalltroveError).hint).toContain('CALLTROVE_CLIENT_SECRET');
    await opened.dispose();
  });

  it('stops when Graph cannot validate the notification URL, naming it', async () => {
    const [database] = await testDatabases();
    const opened = await database.open();
    const store = await storeFromDb(opened.db, opened.url);
    const clock = new ManualClock();
    const graph = new MiniGraph({ clock, notify: async () => new Response('bad gateway', { status: 502 }) });
    const err = await startCollector({
      config,
      store,
      clock,
      fetch: graph.fetch,
      settings: { pstn: false },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(CalltroveError);
    expect((err as CalltroveError).message).toContain('https://collector.test/notify');
    expect((err as CalltroveError).hint).toContain('CALLTROVE_NOTIFICATION_URL');
    await opened.dispose();
  });

  it('lists every missing credential setting', async () => {
    const [database] = await testDatabases();
    const opened = await database.open();
    const store = await storeFromDb(opened.db, opened.url);
    const err = await startCollector({ config: loadConfig({}), store }).catch((e) => e);
    expect((err as Error).message).toMatch(
      /CALLTROVE_TENANT_ID.*CALLTROVE_CLIENT_ID.*CALLTROVE_CLIENT_SECRET/,
    );
    await opened.dispose();
  });
});
