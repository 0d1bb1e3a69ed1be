// Listing call records by start time: backfill, scheduled reconciliation of the recent window, final-horizon checks.
import type { ClaimedJob } from '../store/work-queue.ts';
import type { CollectorContext } from './context.ts';
import { schedule } from './planner.ts';

interface ListedRecord {
  id: string;
  version?: number | string;
  lastModifiedDateTime?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/**
 * Filter bounds to the millisecond: Graph's start times have sub-second digits, and a bound cut to the second
 * would drop every record of a window's last second (or all of a one-record window).
 */
const iso = (t: number) => new Date(t).toISOString();
const timeOf = (v: string | undefined) => {
  const t = v ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? null : t;
};

export interface ListResult {
  listed: number;
  /** Records whose fetch was planned (new to us, or newer than stored). */
  planned: number;
  pages: number;
}

/** The list URL for records that started in [from, to). */
export function listUrl(from: number, to?: number): string {
  const filter = `startDateTime ge ${iso(from)}${to === undefined ? '' : ` and startDateTime lt ${iso(to)}`}`;
  return `/communications/callRecords?$filter=${encodeURIComponent(filter)}`;
}

/**
 * Lists records that started in [from, to), following every next link, and tells the planner what each page
 * says: a record not stored, or stored at an older version than listed, gets a fetch.
 */
export async function listAndPlan(ctx: CollectorContext, from: number, to?: number): Promise<ListResult> {
  const { clock, settings, store } = ctx;
  let listed = 0;
  let planned = 0;
  const pages = await ctx.client.forEachPage<ListedRecord>('list', listUrl(from, to), async (items) => {
    for (const item of items) {
      if (!item?.id) continue;
      listed++;
      const version = Number(item.version);
      if (!Number.isFinite(version)) continue;
      const now = clock.now();
      // Stored earlier (an import, a previous run) at this version or newer: nothing to fetch.
      const known = await store.recordPlans.get(item.id);
      const storedElsewhere = known?.storedVersion == null ? await ctx.sink.storedVersion(item.id) : null;
      const endAt = timeOf(item.endDateTime);
      const due = await store.transaction(async (tx) => {
        await tx.recordPlans.noteListed(
          item.id,
          {
            version,
            modifiedAt: timeOf(item.lastModifiedDateTime),
            startAt: timeOf(item.startDateTime),
            endAt,
          },
          now,
        );
        // Listed after the final horizon: this list was the final check for the record.
        if (endAt !== null && now >= endAt + settings.finalHorizonMs)
          await tx.recordPlans.markFinalChecked([item.id]);
        if (storedElsewhere !== null && storedElsewhere >= version) {
          const plan = await tx.recordPlans.getForUpdate(item.id);
          await tx.recordPlans.noteStored(
            item.id,
            {
              version: storedElsewhere,
              startAt: null,
              endAt: null,
              seqAtStart: plan?.fetchedSeq ?? 0,
              fetched: false,
            },
            now,
          );
        }
        return schedule(tx, settings, item.id, now);
      });
      if (due !== null) planned++;
    }
  });
  if (planned > 0) ctx.nudge();
  return { listed, planned, pages };
}

/**
 * Merges start times into few list windows [from, to): records close in time share pages. Each window ends 1 ms
 * after its last start, which the millisecond bound of listUrl keeps (a start of 12:00:00.5829277 is listed by
 * `lt 12:00:00.583Z`).
 */
export function windowsOf(starts: readonly number[], gapMs: number): { from: number; to: number }[] {
  const sorted = [...starts].sort((a, b) => a - b);
  const out: { from: number; to: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s - last.to <= gapMs) last.to = s;
    else out.push({ from: s, to: s });
  }
  return out.map((w) => ({ from: w.from, to: w.to + 1 }));
}

/** Calls rarely last longer: the sweep lists a start window this long after its final horizon began. */
const typicalCallMs = 3600_000;

/**
 * The final horizon, in two parts. A sweep lists every start-time window once, a final horizon after it (plus a
 * typical call's length): it sees records we never heard of and newer versions whose notifications never came,
 * and marks what it lists as final-checked. Then known records still unchecked (long calls; records from before
 * the sweep began) get one list of their own start window. Only a newer version than stored is then fetched.
 */
export async function finalCheck(ctx: CollectorContext): Promise<{ checked: number; planned: number }> {
  const now = ctx.clock.now();
  const { store } = ctx;
  const horizon = ctx.settings.finalHorizonMs;
  let checked = 0;
  let planned = 0;
  const state = await store.collectorState.read();
  const sweepTo = now - horizon - typicalCallMs;
  const sweepFrom = state.finalSweptUntil ?? sweepTo;
  if (sweepTo > sweepFrom) {
    const swept = await listAndPlan(ctx, sweepFrom, sweepTo);
    planned += swept.planned;
    checked += swept.listed;
    await store.collectorState.write({ finalSweptUntil: sweepTo }, ctx.clock.now());
  } else if (state.finalSweptUntil === undefined)
    await store.collectorState.write({ finalSweptUntil: sweepTo }, ctx.clock.now());
  for (;;) {
    const due = await store.recordPlans.dueForFinalCheck(now - horizon, 2000);
    if (due.length === 0) break;
    const starts = due.map((p) => p.startAt).filter((s): s is number => s !== null);
    for (const w of windowsOf(starts, 2 * 3600_000))
      planned += (await listAndPlan(ctx, w.from, w.to)).planned;
    await store.recordPlans.markFinalChecked(due.map((p) => p.recordId));
    for (const p of due)
      await store.transaction((tx) => schedule(tx, ctx.settings, p.recordId, ctx.clock.now()));
    checked += due.length;
    if (due.length < 2000) break;
  }
  return { checked, planned };
}

/** Lists the recent window (or a missed one), then runs the final-horizon checks that are due. */
export async function reconcile(ctx: CollectorContext, window?: { from: number; to: number }) {
  const now = ctx.clock.now();
  const from = window?.from ?? now - ctx.settings.reconcileLookbackMs;
  const listed = await listAndPlan(ctx, from, window?.to);
  const state = await ctx.store.collectorState.read();
  const finalDue = now - (state.lastFinalCheckAt ?? 0) >= ctx.settings.finalCheckEveryMs;
  const final = finalDue ? await finalCheck(ctx) : { checked: 0, planned: 0 };
  await ctx.store.collectorState.write(
    {
      lastReconcile: { at: now, from, to: window?.to ?? now },
      ...(finalDue ? { lastFinalCheckAt: now } : {}),
    },
    ctx.clock.now(),
  );
  ctx.logger.info(
    {
      listed: listed.listed,
      planned: listed.planned,
      finalChecked: final.checked,
      finalPlanned: final.planned,
    },
    'reconciled',
  );
  return { ...listed, finalChecked: final.checked, finalPlanned: final.planned };
}

/** Job 'reconcile': key 'recent' repeats every reconcileEvery; key 'missed' (a gap) runs once. */
export async function runReconcileJob(ctx: CollectorContext, job: ClaimedJob): Promise<void> {
  const window = job.payload ? (JSON.parse(job.payload) as { from: number; to: number }) : undefined;
  await reconcile(ctx, job.key === 'recent' ? undefined : window);
  const next = job.key === 'recent' ? ctx.clock.now() + ctx.settings.reconcileEveryMs : null;
  await ctx.store.workQueue.finish(job, next, ctx.clock.now());
}

/** `calltrove backfill --since`: every record that started since then, fetched unless stored at its version. */
export async function backfill(ctx: CollectorContext, since: number): Promise<ListResult> {
  const now = ctx.clock.now();
  const result = await listAndPlan(ctx, since);
  await ctx.store.collectorState.write(
    { lastBackfill: { at: now, since, listed: result.listed, enqueued: result.planned } },
    ctx.clock.now(),
  );
  ctx.logger.info({ since: iso(since), listed: result.listed, planned: result.planned }, 'backfill listed');
  return result;
}
