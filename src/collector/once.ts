// One pass for cron-style use and `calltrove backfill`: list since a time, fetch what is missing, drain, stop.
import { callRecordRetentionDays } from '../graph/odata.ts';
import type { Store } from '../store/store.ts';
import { type RunningCollector, type StartCollectorOptions, startCollector } from './collector.ts';
import { jobKinds } from './planner.ts';
import { syncPstnLogs } from './pstn.ts';
import { backfill, finalCheck, type ListResult } from './reconcile.ts';

export interface OnceOptions extends StartCollectorOptions {
  /** Epoch ms: list records that started since then. */
  since: number;
  /** Also pull PSTN and Direct Routing logs. */
  pstn?: boolean;
  onStarted?: (collector: RunningCollector) => void;
  /** How long the run keeps trying failed fetches (default 30 min); what is left then is reported, not hidden. */
  patienceMs?: number;
}

/** A record the run could not store whole, and the last reason. */
export interface LeftOver {
  recordId: string;
  reason: string;
}

export interface OnceResult extends ListResult {
  finalChecked: number;
  pstnRows?: { pstn: number; directRouting: number };
  requests: number;
  /** Listed records not stored at their listed version when the run ended (empty: the store holds them all). */
  left: LeftOver[];
}

/**
 * Lists, fetches, and keeps going until every listed record is stored at its listed version: a fetch that failed
 * (throttled beyond the client's patience, 5xx bursts, timeouts) is tried again after its short once-mode wait,
 * within patienceMs. Ends early, with the signal's reason, when the process is stopped.
 */
export async function collectOnce(options: OnceOptions): Promise<OnceResult> {
  const collector = await startCollector({ ...options, mode: 'once' });
  const { ctx } = collector;
  const { clock, signal } = ctx;
  options.onStarted?.(collector);
  try {
    const listedAt = clock.now();
    const listed = await backfill(ctx, options.since);
    const final = await finalCheck(ctx);
    const pstnRows = options.pstn ? await syncPstnLogs(ctx, options.since) : undefined;
    const giveUpAt = clock.now() + (options.patienceMs ?? 30 * 60_000);
    for (;;) {
      ctx.nudge();
      await collector.drain();
      if (signal.aborted) throw signal.reason;
      const queued = await ctx.store.workQueue.queued(jobKinds.fetch, 1);
      if (queued.length === 0) break;
      const now = clock.now();
      if (queued[0].dueAt > giveUpAt) break;
      // Nothing due now, yet fetches are queued (failed, due again shortly): wait for the first, then go on.
      await clock.sleep(Math.max(0, Math.min(queued[0].dueAt, giveUpAt) - now) + 10, signal);
    }
    const left = await leftOver(ctx.store, options.since, listedAt + 1);
    return {
      ...listed,
      finalChecked: final.checked,
      pstnRows,
      requests: collector.client.totalRequests(),
      left,
    };
  } finally {
    await collector.stop();
  }
}

/** Records this run listed (started in [since, until)) that are not stored at their listed version. */
async function leftOver(store: Store, since: number, until: number): Promise<LeftOver[]> {
  const reasons = new Map(
    (await store.workQueue.queued(jobKinds.fetch)).map((j) => [j.key, j.lastError ?? 'not fetched yet']),
  );
  return (await store.recordPlans.behind(since, until)).map((p) => ({
    recordId: p.recordId,
    reason:
      reasons.get(p.recordId) ??
      (p.missingSince !== null ? 'Graph answered 404 (not found) until the run gave up' : 'not fetched'),
  }));
}

/** Where a `--once` run without --since starts: a little before the last run's window, else 30 days back. */
export async function defaultOnceSince(
  options: Pick<StartCollectorOptions, 'store'>,
  now: number,
  lookbackMs: number,
) {
  const state = await options.store.collectorState.read();
  const last = state.lastBackfill?.at ?? state.lastReconcile?.at;
  return last ? last - lookbackMs : now - callRecordRetentionDays * 86_400_000;
}
