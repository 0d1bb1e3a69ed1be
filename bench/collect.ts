// `npm run bench:collect`: the collector on the Graph twin with compressed time (a manual clock), against the naive
// strategy in the same run; throughput under the throttle budget; webhook acknowledgements per second on loopback.
// Options: --users N --hours H --tail H --settle MIN --seed N --only day|throttle|webhook --rate N --seconds S
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { ManualClock, SystemClock } from '../src/clock/clock.ts';
import { startCollector } from '../src/collector/collector.ts';
import type { CollectorSettings } from '../src/collector/context.ts';
import { createCollectorMetrics } from '../src/collector/metrics.ts';
import { backfill } from '../src/collector/reconcile.ts';
import { MiniGraph } from '../src/collector/test-graph.ts';
import { runFor, startTwinRun, truthOf } from '../src/collector/test-twin.ts';
import { createWebhookApp } from '../src/collector/webhook.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/config/logger.ts';
import { writeCollectorState } from '../src/store/collector-state.ts';
import { allPlans } from '../src/store/record-plans.ts';
import { openStore } from '../src/store/store.ts';
import { createTwin } from '../src/twin/twin.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1] : undefined;
})();
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-collect-'));
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : Number.NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const users = arg('users', 200);
const hours = arg('hours', 24);
const planner: Partial<CollectorSettings> = {
  settleMs: arg('settle', 60) * 60_000,
  finalHorizonMs: arg('horizon', 12) * 3600_000,
  reconcileEveryMs: arg('reconcile', 60) * 60_000,
  reconcileLookbackMs: arg('lookback', 3) * 3600_000,
};

/** One day of traffic on a fresh twin and database; the figures the issue asks for. */
async function day(strategy: 'planned' | 'naive') {
  const store = await openStore(join(dir, `${strategy}.db`));
  const started = performance.now();
  const run = await startTwinRun({
    store,
    seed: arg('seed', 11),
    users,
    historyDays: 0,
    settings: { ...planner, strategy },
  });
  for (let h = 0; h < hours; h += 6) {
    await runFor(run, Math.min(6, hours - h) * 3600_000, 30_000);
    process.stderr.write(
      `${strategy}: ${h + Math.min(6, hours - h)} h of traffic, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
  const trafficEnd = run.clock.now();
  // The tail: time for the final horizon to pass for the day's last calls.
  await runFor(run, (planner.finalHorizonMs ?? 0) + 2 * 3600_000, 5 * 60_000);
  const now = run.clock.now();
  const truth = await truthOf(run.twin);
  const plans = new Map((await allPlans(store.db)).map((p) => [p.recordId, p]));
  let final = 0;
  let pastHorizon = 0;
  const rows = await store.db.all<{ id: string; version: number }>('SELECT id, version FROM calls');
  const stored = new Map(rows.map((r) => [r.id, Number(r.version)]));
  for (const [id, version] of truth) {
    const end = plans.get(id)?.endAt;
    // Records whose call started in the measured day and whose final horizon has passed.
    if (end == null || end > trafficEnd || end + (planner.finalHorizonMs ?? 0) > now) continue;
    pastHorizon++;
    if (stored.get(id) === version) final++;
  }
  const latencies = (await run.v1Latencies()).sort((a, b) => a - b);
  const counts = run.collector.client.requestCounts();
  const graphRequests = run.collector.client.totalRequests();
  const result = {
    strategy,
    records: stored.size,
    graphRequests,
    perRecord: graphRequests / stored.size,
    byKind: Object.fromEntries(
      Object.entries(counts).map(([k, v]) => [k, Object.values(v).reduce((a, b) => a + b, 0)]),
    ),
    v1p50: pct(latencies, 0.5),
    v1p95: pct(latencies, 0.95),
    v1n: latencies.length,
    finalShare: pastHorizon ? final / pastHorizon : Number.NaN,
    pastHorizon,
    seconds: (performance.now() - started) / 1000,
  };
  await run.close();
  await store.close();
  return result;
}

/** Backfill against a twin whose app+tenant budget is the binding limit: stored records per second vs budget. */
async function throttled() {
  const budget = { limit: arg('budget', 300), windowMs: 20_000 };
  const clock = new ManualClock(Date.UTC(2026, 0, 14, 7));
  const twin = createTwin({
    seed: 5,
    users: arg('throttle-users', 400),
    days: 3,
    clock,
    throttle: { appTenant: budget },
  });
  const store = await openStore(join(dir, 'throttle.db'));
  const config = loadConfig({
    overrides: {
      ...twin.credentials,
      graphUrl: 'https://twin.local/v1.0',
      authorityUrl: 'https://twin.local',
    },
  });
  const collector = await startCollector({
    config,
    store,
    clock,
    mode: 'once',
    fetch: (url, init) => twin.fetch(new Request(url, init)),
  });
  const t0 = clock.now();
  const listed = await backfill(collector.ctx, t0 - 3 * 86_400_000);
  let done = false;
  void collector.drain().then(() => {
    done = true;
  });
  while (!done) await clock.advance(250);
  const elapsed = clock.now() - t0;
  const ok = collector.client.requestCounts();
  const served = Object.values(ok).reduce((n, byStatus) => n + (byStatus['200'] ?? 0), 0);
  const throttledCount = Object.values(ok).reduce((n, byStatus) => n + (byStatus['429'] ?? 0), 0);
  await collector.stop();
  twin.stop();
  await store.close();
  // The budget allows `limit` requests per window; the first window is free, so count from the first 429 on.
  const allowed = (budget.limit * elapsed) / budget.windowMs;
  return {
    records: listed.listed,
    served,
    throttled: throttledCount,
    elapsed,
    share: served / Math.max(budget.limit, allowed),
    budget,
  };
}

/**
 * Webhook acknowledgements on loopback while each notification is persisted: the webhook alone (its own HTTP
 * server and store), or inside a running collector that also plans and fetches every notified record.
 */
async function webhook(mode: 'alone' | 'collector') {
  const rate = arg('rate', 2000);
  const seconds = arg('seconds', 10);
  const clock = new SystemClock();
  const store = await openStore(join(dir, `webhook-${mode}.db`));
  let port: number;
  let stop: () => Promise<void>;
  if (mode === 'alone') {
    const { app } = createWebhookApp({
      store,
      clock,
      logger: silentLogger,
      metrics: createCollectorMetrics(),
      tenantId: 'tenant-1',
      status: () => Promise.reject(new Error('not asked')),
    });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    stop = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    const graph = new MiniGraph({ clock, notify: async () => new Response(null, { status: 503 }) });
    const config = loadConfig({
      overrides: {
        tenantId: 'tenant-1',
        clientId: 'c',
        clientSecret: 'right-secret',
        graphUrl: 'https://graph.test/v1.0',
        authorityUrl: 'https://login.test',
      },
    });
    const collector = await startCollector({
      config,
      store,
      clock,
      fetch: graph.fetch,
      listen: '127.0.0.1:0',
      settings: { pstn: false },
    });
    port = collector.address?.port ?? 0;
    stop = () => collector.stop();
  }
  const clientState = 'bench-client-state-0123456789';
  await writeCollectorState(
    store.db,
    { otherClientStates: [{ clientState, until: Date.now() + 3600_000 }] },
    Date.now(),
  );
  const url = `http://127.0.0.1:${port}/api/notifications`;
  // The sender runs in a process of its own, as Graph does: in this one it would take the webhook's CPU.
  const sender = spawn(
    process.execPath,
    [
      join(here, '../bin/run-ts.js'),
      join(here, 'webhook-sender.ts'),
      url,
      String(rate),
      String(seconds),
      clientState,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let out = '';
  sender.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => sender.on('exit', resolve));
  loop.disable();
  await stop();
  await store.close();
  if (code !== 0) throw new Error(`the webhook sender exited with ${code}`);
  const figures = JSON.parse(out) as {
    sent: number;
    failed: number;
    perSecond: number;
    p50: number;
    p99: number;
    senderLoopMax: number;
  };
  // How long the collector's event loop was busy at a stretch: a long stretch delays every answer waiting behind it.
  return { ...figures, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
}

try {
  if (!only || only === 'day') {
    const planned = await day('planned');
    const naive = await day('naive');
    console.log(`\n# a day of traffic on the twin (${users} users, ${hours} h, seed ${arg('seed', 11)})`);
    console.log(
      `planner settings: settle ${planner.settleMs! / 60_000} min, final horizon ${planner.finalHorizonMs! / 3600_000} h, reconcile every ${planner.reconcileEveryMs! / 60_000} min over ${planner.reconcileLookbackMs! / 3600_000} h`,
    );
    console.log('strategy  records  Graph requests  per record  v1 p50   v1 p95   final share (n)   wall');
    for (const r of [planned, naive])
      console.log(
        `${r.strategy.padEnd(8)}  ${String(r.records).padStart(7)}  ${String(r.graphRequests).padStart(14)}  ${r.perRecord.toFixed(2).padStart(10)}  ${s(r.v1p50).padStart(6)}  ${s(r.v1p95).padStart(7)}  ${(r.finalShare * 100).toFixed(1).padStart(6)}% (${r.pastHorizon})  ${r.seconds.toFixed(0)} s`,
      );
    console.log('requests by kind:', JSON.stringify({ planned: planned.byKind, naive: naive.byKind }));
  }
  if (!only || only === 'throttle') {
    const t = await throttled();
    console.log(
      `\n# backfill of ${t.records} records under a budget of ${t.budget.limit} requests / ${t.budget.windowMs / 1000} s`,
    );
    console.log(
      `${t.served} requests served, ${t.throttled} answered 429, in ${s(t.elapsed)} twin time: ${(t.share * 100).toFixed(1)}% of the budget used`,
    );
  }
  if (!only || only === 'webhook') {
    console.log(
      `\n# webhook on loopback, persisting every notification (${arg('rate', 2000)}/s sent open-loop)`,
    );
    for (const mode of ['alone', 'collector'] as const) {
      const w = await webhook(mode);
      console.log(
        `${mode === 'alone' ? 'webhook alone   ' : 'whole collector '}${w.perSecond.toFixed(0)} acknowledgements/s, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, ${w.failed} not 202 of ${w.sent}; event-loop delay p99 ${w.loopP99.toFixed(0)} ms, max ${w.loopMax.toFixed(0)} ms (sender's max ${w.senderLoopMax.toFixed(0)} ms)`,
      );
    }
    console.log(
      'latencies after a 1 s warm-up; the whole collector also plans and fetches each notified record',
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
