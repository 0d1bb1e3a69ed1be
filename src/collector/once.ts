// One pass for cron-style use and `calltrove backfill`: list since a time, fetch what is missing, drain, stop.
import { callRecordRetentionDays } from '../graph/odata.ts';
import { readCollectorState } from '../store/collector-state.ts';
import { type RunningCollector, type StartCollectorOptions, startCollector } from './collector.ts';
import { syncPstnLogs } from './pstn.ts';
import { backfill, finalCheck, type ListResult } from './reconcile.ts';

export interface OnceOptions extends StartCollectorOptions {
  /** Epoch ms: list records that started since then. */
  since: number;
  /** Also pull PSTN and Direct Routing logs. */
  pstn?: boolean;
  onStarted?: (collector: RunningCollector) => void;
}

export interface OnceResult extends ListResult {
  finalChecked: number;
  pstnRows?: { pstn: number; directRouting: number };
  requests: number;
}

export async function collectOnce(options: OnceOptions): Promise<OnceResult> {
  const collector = await startCollector({ ...options, mode: 'once' });
  options.onStarted?.(collector);
  try {
    const listed = await backfill(collector.ctx, options.since);
    const final = await finalCheck(collector.ctx);
    const pstnRows = options.pstn ? await syncPstnLogs(collector.ctx, options.since) : undefined;
    collector.ctx.nudge();
    await collector.drain();
    return { ...listed, finalChecked: final.checked, pstnRows, requests: collector.client.totalRequests() };
  } finally {
    await collector.stop();
  }
}

/** Where a `--once` run without --since starts: a little before the last run's window, else 30 days back. */
export async function defaultOnceSince(
  options: Pick<StartCollectorOptions, 'store'>,
  now: number,
  lookbackMs: number,
) {
  const state = await readCollectorState(options.store.db);
  const last = state.lastBackfill?.at ?? state.lastReconcile?.at;
  return last ? last - lookbackMs : now - callRecordRetentionDays * 86_400_000;
}
