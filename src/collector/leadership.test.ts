// Two collectors (each with its own connection pool, as two processes) on one PostgreSQL schema behind a
// round-robin "load balancer": one subscription between them, notifications received by either are stored, and
// when the leader stops the other one renews the same subscription.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import type { Db } from '../store/db.ts';
import { PostgresDb } from '../store/postgres/postgres-db.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { postgresOnly } from '../store/test-stores.ts';
import { type RunningCollector, startCollector } from './collector.ts';
import { MiniGraph } from './test-graph.ts';

const min = 60_000;
const hour = 60 * min;
const config = loadConfig({
  overrides: {
    tenantId: 'tenant-1',
    clientId: 'client-1',
    clientSecret: 'right-secret',
    graphUrl: 'https://graph.test/v1.0',
    authorityUrl: 'https://login.test',
    notificationUrl: 'https://lb.test/notify',
    planner: { settleSeconds: 600, finalHorizonSeconds: 3 * hour, reconcileEverySeconds: 1800 },
  },
});

/** Which of the named pools holds the leader lock now. */
async function leaderName(db: Db): Promise<string | undefined> {
  const r = await db.get<{ app: string }>(
    `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
       AND l.classid = hashtext('calltrove:' || current_schema())::oid AND l.objid = hashtext('collector-leader')::oid
       AND a.application_name LIKE ?`,
    [`${process.pid}-%`],
  );
  return r?.app;
}

const suite = 'two collectors on one PostgreSQL schema';
for (const database of await postgresOnly(suite)) {
  describe(suite, () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 12, 8));
    const webhooks: RunningCollector['webhook'][] = [];
    let next = 0;
    const posts = { subscriptions: 0 };
    const graph = new MiniGraph({
      clock,
      // The load balancer: each delivery to the next collector in turn.
      notify: async (url, init) => {
        if (webhooks.length === 0) return new Response(null, { status: 503 });
        return webhooks[next++ % webhooks.length].fetch(new Request(url, init));
      },
    });
    const fetch: typeof graph.fetch = (url, init) => {
      if (new URL(url).pathname === '/v1.0/subscriptions' && init.method === 'POST') posts.subscriptions++;
      return graph.fetch(url, init);
    };
    let stores: Store[] = [];
    const collectors = new Map<string, RunningCollector>();
    let dispose: () => Promise<void>;
    let admin: Db;

    beforeAll(async () => {
      const opened = await database.open();
      dispose = opened.dispose;
      admin = opened.db;
      await storeFromDb(admin, opened.url);
      stores = await Promise.all(
        ['a', 'b'].map((n) => {
          const url = `${opened.url}&application_name=${process.pid}-${n}`;
          return storeFromDb(new PostgresDb(url, { poolSize: 12 }), url);
        }),
      );
    });
    afterAll(async () => {
      for (const c of collectors.values()) await c.stop().catch(() => undefined);
      await Promise.all(stores.map((s) => s.close()));
      await dispose();
    });

    const drainAll = async () => {
      for (let i = 0; i < 3; i++) for (const c of collectors.values()) await c.drain();
    };
    const run = async (ms: number, step = 5 * min) => {
      for (let t = 0; t < ms; t += step) {
        await clock.advance(step);
        await drainAll();
      }
    };

    it('creates one subscription, stores what either receives, and hands renewal over', {
      timeout: 120_000,
    }, async () => {
      const started = await Promise.all(
        stores.map((store) =>
          startCollector({
            config,
            store,
            clock,
            fetch,
            settings: { pstn: false },
            pollMs: min,
            onWebhook: (w) => {
              webhooks.push(w);
            },
          }),
        ),
      );
      for (const [i, c] of started.entries()) collectors.set(`${process.pid}-${'ab'[i]}`, c);
      expect(posts.subscriptions).toBe(1);
      expect(graph.subscriptions.size).toBe(1);
      const first = await leaderName(admin);
      expect(first).toBeDefined();

      const t0 = clock.now();
      for (let i = 0; i < 12; i++) await graph.put(`rec-${i}`, t0 - 2 * hour + i * min, t0 - hour + i * min);
      await run(30 * min);
      // Both webhooks took deliveries (round robin), and the shared inbox made each a stored record.
      expect(next).toBeGreaterThanOrEqual(12);
      const stored = await admin.all<{ id: string; version: number }>(
        'SELECT id, version FROM calls ORDER BY id',
      );
      expect(Object.fromEntries(stored.map((r) => [r.id, Number(r.version)]))).toEqual(graph.truth());

      // The leader stops; the other takes over and, when renewal comes due, renews the same subscription.
      const [sub] = [...graph.subscriptions.values()];
      const expiresBefore = sub.expiresAt;
      await collectors.get(first!)!.stop();
      collectors.delete(first!);
      webhooks.length = 0;
      webhooks.push(...[...collectors.values()].map((c) => c.webhook));
      await run(min, 10_000);
      expect(await leaderName(admin)).not.toBe(first);
      expect(await leaderName(admin)).toBeDefined();
      await run(40 * hour, hour);
      expect(posts.subscriptions).toBe(1);
      expect(graph.subscriptions.size).toBe(1);
      expect([...graph.subscriptions.values()][0].id).toBe(sub.id);
      expect([...graph.subscriptions.values()][0].expiresAt).toBeGreaterThan(expiresBefore);
    });
  });
}
