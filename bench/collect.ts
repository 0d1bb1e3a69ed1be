// `npm run bench:collect`: the collector on the Graph twin with compressed time (a manual clock), against the naive
// strategy in the same run; throughput under the throttle budget; webhook acknowledgements per second on loopback.
// Options: --users N --hours H --tail H --settle MIN --seed N --only day|throttle|webhook --rate N --seconds S
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { ManualClock, SystemClock } from '../src/clock/clock.ts';
import { startCollector } from '../src/collector/collector.ts';
import type { CollectorSettings } from '../src/collector/context.ts';
import { backfill } from '../src/collector/reconcile.ts';
import { MiniGraph } from '../src/collector/test-graph.ts';
import { runFor, startTwinRun, truthOf } from '../src/collector/test-twin.ts';
import { loadConfig } from '../src/config/config.ts';
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

/** Webhook acknowledgements on loopback while each notification is persisted (and planned, and fetched). */
async function webhook() {
  const rate = arg('rate', 2000);
  const seconds = arg('seconds', 10);
  const clock = new SystemClock();
  const graph = new MiniGraph({ clock, notify: async () => new Response(null, { status: 503 }) });
  const store = await openStore(join(dir, 'webhook.db'));
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
  const clientState = 'bench-client-state-0123456789';
  await writeCollectorState(
    store.db,
    { otherClientStates: [{ clientState, until: Date.now() + 3600_000 }] },
    Date.now(),
  );
  const url = `http://127.0.0.1:${collector.address?.port}/api/notifications`;
  const agent = new Agent({ connections: 64, pipelining: 1 });
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const total = rate * seconds;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Open loop: requests go out on schedule whether or not earlier ones were answered.
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `rec-${i % 5000}`;
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: 's',
          clientState,
          changeType: 'updated',
          resource: `communications/callRecords/${id}`,
          resourceData: { id },
          tenantId: 'tenant-1',
        },
      ],
    });
    const t = performance.now();
    pending.push(
      request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
      }).then(
        async (res) => {
          await res.body.dump();
          if (res.statusCode !== 202) failed++;
          latencies.push(performance.now() - t);
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  await agent.close();
  await collector.stop();
  await store.close();
  latencies.sort((a, b) => a - b);
  return {
    sent: total,
    failed,
    perSecond: total / elapsed,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
  };
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
    const w = await webhook();
    console.log(`\n# webhook on loopback, persisting every notification (${w.sent} sent open-loop)`);
    console.log(
      `${w.perSecond.toFixed(0)} acknowledgements/s, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, ${w.failed} not 202`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
