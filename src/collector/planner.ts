// The version planner: v1 at once, later updates coalesced until the record has been quiet, never a fetch for nothing.

import type { CollectorRepositories } from '../store/collector-repositories.ts';
import type { RecordPlan } from '../store/record-plans.ts';
import type { ClaimedJob } from '../store/work-queue.ts';
import type { CollectorContext, CollectorSettings } from './context.ts';

export const jobKinds = {
  fetch: 'fetch-record',
  reconcile: 'reconcile',
  subscription: 'subscription',
  pstn: 'pstn',
} as const;

type PlanSettings = Pick<CollectorSettings, 'strategy' | 'settleMs' | 'finalHorizonMs'>;

/**
 * When this record should next be fetched (epoch ms; in the past means now), or null for "not at all".
 * - never stored: now (the first version, fast);
 * - notified since the last fetch began: once quiet for the settle window, at the latest a final horizon
 *   after the last fetch (a record that never stops changing is still refreshed);
 * - a list showed a newer version than stored (a notification was lost): once that version has settled;
 * - otherwise nothing: the stored version is as new as anything we know of.
 */
export function nextFetchAt(plan: RecordPlan, s: PlanSettings, now: number): number | null {
  const dirty = plan.notifySeq > plan.fetchedSeq;
  if (plan.storedVersion === null) return now;
  if (s.strategy === 'naive') return dirty ? now : null;
  if (dirty) {
    const quiet = (plan.lastNotifiedAt ?? now) + s.settleMs;
    const cap = (plan.lastFetchedAt ?? now) + s.finalHorizonMs;
    return Math.min(quiet, cap);
  }
  if (plan.knownVersion !== null && plan.knownVersion > plan.storedVersion) {
    if (plan.finalChecked) return now;
    return (plan.knownModifiedAt ?? now) + s.settleMs;
  }
  return null;
}

/** Re-plans one record inside a transaction: its fetch job is due when nextFetchAt says, or removed. */
export async function schedule(
  tx: CollectorRepositories,
  s: PlanSettings,
  recordId: string,
  now: number,
): Promise<number | null> {
  const plan = await tx.recordPlans.getForUpdate(recordId);
  if (!plan) return null;
  const due = nextFetchAt(plan, s, now);
  if (due === null) await tx.workQueue.remove(jobKinds.fetch, recordId);
  else await tx.workQueue.enqueue({ kind: jobKinds.fetch, key: recordId, dueAt: due }, now);
  return due;
}

export interface InboxResult {
  processed: number;
  records: number;
  lifecycle: string[];
}

/**
 * Moves a batch of persisted notifications into plans and jobs, in one transaction with their removal
 * from the inbox: a crash leaves either the notification or its effect, never neither.
 */
export async function planInbox(ctx: CollectorContext, limit = 500): Promise<InboxResult> {
  const now = ctx.clock.now();
  const s = ctx.settings;
  const result = await ctx.store.transaction(async (tx) => {
    const rows = await tx.inbox.read(limit);
    if (rows.length === 0) return { processed: 0, records: 0, lifecycle: [] as string[], dueNow: false };
    const byRecord = new Map<string, { count: number; at: number }>();
    const lifecycle: string[] = [];
    let lastAt = 0;
    for (const r of rows) {
      lastAt = Math.max(lastAt, r.receivedAt);
      if (r.kind === 'change' && r.recordId) {
        const e = byRecord.get(r.recordId) ?? { count: 0, at: 0 };
        e.count++;
        e.at = Math.max(e.at, r.receivedAt);
        byRecord.set(r.recordId, e);
      } else if (r.kind === 'lifecycle' && r.lifecycleEvent) lifecycle.push(r.lifecycleEvent);
    }
    let dueNow = false;
    // Sorted, so concurrent planners on PostgreSQL lock plan rows in the same order (no deadlock).
    for (const id of [...byRecord.keys()].sort()) {
      const e = byRecord.get(id)!;
      await tx.recordPlans.noteNotified(id, e.count, e.at);
      const due = await schedule(tx, s, id, now);
      if (due !== null && due <= now) dueNow = true;
    }
    for (const event of new Set(lifecycle)) {
      if (event === 'reauthorizationRequired' || event === 'subscriptionRemoved')
        await tx.workQueue.enqueue(
          { kind: jobKinds.subscription, key: 'maintain', dueAt: now, payload: event, due: 'earliest' },
          now,
        );
      else if (event === 'missed')
        await tx.workQueue.enqueue(
          {
            kind: jobKinds.reconcile,
            key: 'missed',
            dueAt: now,
            payload: JSON.stringify({ from: now - Math.max(s.reconcileLookbackMs, 24 * 3600_000), to: now }),
            due: 'earliest',
          },
          now,
        );
      dueNow = true;
    }
    await tx.inbox.remove(rows.map((r) => r.id));
    await tx.collectorState.advanceTime('lastNotificationAt', lastAt);
    return { processed: rows.length, records: byRecord.size, lifecycle, dueNow };
  });
  if (result.processed > 0) {
    ctx.logger.debug({ processed: result.processed, records: result.records }, 'planned notifications');
    for (const event of result.lifecycle)
      ctx.logger.info({ lifecycleEvent: event }, 'lifecycle notification');
    if (result.dueNow) ctx.nudge();
  }
  return { processed: result.processed, records: result.records, lifecycle: result.lifecycle };
}

/**
 * Ends a worker's claim on a fetch job with the planner's decision, made with the plan row locked so that
 * notifications that arrived during the fetch are counted. A job removed meanwhile is queued again if needed.
 */
export async function settleFetchJob(
  tx: CollectorRepositories,
  s: PlanSettings,
  job: ClaimedJob,
  now: number,
): Promise<number | null> {
  const plan = await tx.recordPlans.getForUpdate(job.key);
  const due = plan ? nextFetchAt(plan, s, now) : null;
  const ok = await tx.workQueue.finish(job, due, now, { authoritative: true });
  if (!ok && due !== null)
    await tx.workQueue.enqueue({ kind: jobKinds.fetch, key: job.key, dueAt: due }, now);
  return due;
}
