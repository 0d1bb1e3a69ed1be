// Test and bench support: the collector against an in-process Graph twin on a manual clock, compared with its truth.
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import { allPlans } from '../store/record-plans.ts';
import type { Store } from '../store/store.ts';
import { createTwin, type Twin, type TwinOptions } from '../twin/twin.ts';
import { type RunningCollector, startCollector } from './collector.ts';
import type { CollectorSettings } from './context.ts';
import { backfill } from './reconcile.ts';

export interface TwinRunOptions {
  store: Store;
  seed?: number;
  users?: number;
  /** Days of history before the collector starts (backfilled). */
  historyDays?: number;
  /** Hours of live traffic (notifications) after the start. */
  liveHours: number;
  /** Hours to keep the collector running after traffic stops growing, so every record can reach its final version. */
  tailHours: number;
  stepMs?: number;
  faults?: TwinOptions['faults'];
  settings?: Partial<CollectorSettings>;
  logger?: Logger;
  /** Called between steps; may stop the run by returning false. */
  onStep?: (
    clock: ManualClock,
    collector: RunningCollector,
  ) => Promise<boolean | undefined> | boolean | undefined;
}

export interface Comparison {
  truth: number;
  stored: number;
  atLatest: number;
  behind: string[];
  missing: string[];
  extra: string[];
  duplicates: number;
}

export interface TwinRun {
  clock: ManualClock;
  twin: Twin;
  collector: RunningCollector;
  startedAt: number;
  /** Store vs /_twin/truth for the home tenant, now. */
  compare(): Promise<Comparison>;
  /** v1 notification-to-stored latencies (ms, twin time) of records whose first notification arrived. */
  v1Latencies(): Promise<number[]>;
  close(): Promise<void>;
}

export async function truthOf(twin: Twin): Promise<Map<string, number>> {
  const res = await twin.fetch(new Request('https://twin.local/_twin/truth'));
  const body = (await res.json()) as { tenants: Record<string, { id: string; version: number }[]> };
  return new Map((body.tenants[twin.homeTenantId] ?? []).map((r) => [r.id, r.version]));
}

export async function compareWithTruth(store: Store, twin: Twin): Promise<Comparison> {
  const truth = await truthOf(twin);
  const rows = await store.db.all<{ id: string; version: number }>('SELECT id, version FROM calls');
  const stored = new Map<string, number>();
  let duplicates = 0;
  for (const r of rows) {
    if (stored.has(r.id)) duplicates++;
    stored.set(r.id, Number(r.version));
  }
  const behind: string[] = [];
  const missing: string[] = [];
  let atLatest = 0;
  for (const [id, v] of truth) {
    const s = stored.get(id);
    if (s === undefined) missing.push(id);
    else if (s === v) atLatest++;
    else behind.push(`${id} stored v${s}, latest v${v}`);
  }
  const extra = [...stored.keys()].filter((id) => !truth.has(id));
  return { truth: truth.size, stored: stored.size, atLatest, behind, missing, extra, duplicates };
}

/** Starts twin + collector on one manual clock, backfills the history, and returns a handle to run time forward. */
export async function startTwinRun(
  options: Omit<TwinRunOptions, 'liveHours' | 'tailHours'>,
): Promise<TwinRun> {
  const clock = new ManualClock(Date.UTC(2026, 0, 12, 7, 0, 0));
  let webhook: RunningCollector['webhook'] | undefined;
  const twin = createTwin({
    seed: options.seed ?? 7,
    users: options.users ?? 40,
    days: options.historyDays ?? 1,
    clock,
    faults: options.faults,
    notify: async (url, init) => {
      if (!webhook) return new Response(null, { status: 503 });
      return webhook.fetch(new Request(url, init));
    },
  });
  const config = loadConfig({
    overrides: {
      ...twin.credentials,
      graphUrl: 'https://twin.local/v1.0',
      authorityUrl: 'https://twin.local',
      notificationUrl: 'https://collector.local/api/notifications',
    },
  });
  const collector = await startCollector({
    config,
    store: options.store,
    clock,
    logger: options.logger,
    fetch: (url, init) => twin.fetch(new Request(url, init)),
    settings: { pstn: false, ...options.settings },
    onWebhook: (w) => {
      webhook = w;
    },
  });
  const startedAt = clock.now();
  // What happened before the subscription existed comes from the list, as on a first start against a tenant.
  await whileAdvancing(
    clock,
    collector,
    backfill(collector.ctx, startedAt - (options.historyDays ?? 1) * 86_400_000 - 3600_000),
  );
  await whileAdvancing(clock, collector, collector.drain());
  return {
    clock,
    twin,
    collector,
    startedAt,
    compare: () => compareWithTruth(options.store, twin),
    async v1Latencies() {
      return (await allPlans(options.store.db))
        .filter(
          (p) => p.firstNotifiedAt !== null && p.firstStoredAt !== null && p.firstNotifiedAt >= startedAt,
        )
        .map((p) => (p.firstStoredAt as number) - (p.firstNotifiedAt as number));
    },
    async close() {
      twin.stop();
      await collector.stop();
    },
  };
}

/**
 * Awaits work that may wait on the clock itself (a Retry-After, a backoff, an answer the twin delays): time moves on
 * in small steps while the collector waits for it, and stands still while real I/O (a database round trip) runs.
 */
export async function whileAdvancing<T>(
  clock: ManualClock,
  collector: RunningCollector,
  work: Promise<T>,
  stepMs = 1000,
): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  let stalledMs = 0;
  while (!done) {
    // Waiting on the clock for sure (backoff, Retry-After), or stalled a while (a request the twin holds for a
    // slow answer or a timeout, on its clock): move time on. Otherwise real I/O is under way: give it real time.
    if (collector.client.waitingOnClock || stalledMs >= 20) {
      await clock.advance(stepMs);
      stalledMs = 0;
    } else {
      await new Promise<void>((r) => setTimeout(r, 2));
      stalledMs += 2;
    }
  }
  return settled;
}

/** Moves the clock in steps, letting the collector finish what fell due at each. */
export async function runFor(run: TwinRun, ms: number, stepMs: number, onStep?: TwinRunOptions['onStep']) {
  for (let t = 0; t < ms; t += stepMs) {
    await run.clock.advance(Math.min(stepMs, ms - t));
    // A collector waiting out a Retry-After or a backoff is waiting on the clock: let time go on meanwhile.
    await whileAdvancing(run.clock, run.collector, run.collector.drain());
    if (onStep && (await onStep(run.clock, run.collector)) === false) return;
  }
}

/** The whole scenario: history backfilled, live traffic, then a tail long enough for final versions. */
export async function twinScenario(options: TwinRunOptions): Promise<TwinRun> {
  const run = await startTwinRun(options);
  const step = options.stepMs ?? 30_000;
  await runFor(run, options.liveHours * 3600_000, step, options.onStep);
  await runFor(run, options.tailHours * 3600_000, Math.max(step, 5 * 60_000), options.onStep);
  return run;
}
