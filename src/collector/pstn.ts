// Daily pulls of getPstnCalls and getDirectRoutingCalls into their tables, within Graph's date-range rules.
import { parseDirectRoutingLogRow, parsePstnCallLogRow } from '../graph/parse.ts';
import type { DirectRoutingLogRow, PstnCallLogRow } from '../graph/types.ts';
import type { ClaimedJob } from '../store/work-queue.ts';
import type { CollectorContext } from './context.ts';
import { GraphHttpError } from './graph-client.ts';

const day = 86_400_000;
/** Graph allows at most 90 days per request; 89 keeps clear of edge interpretations of "inclusive". */
const maxRangeDays = 89;

const dayStart = (t: number) => Math.floor(t / day) * day;
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);

export interface PstnWindow {
  from: number;
  to: number;
}

/**
 * Day-aligned request windows from `from` up to and including today, each at most 89 days. Both functions
 * select by call start; getPstnCalls treats toDateTime as inclusive and getDirectRoutingCalls as exclusive,
 * so windows meet at their edges and the shared instant is fetched twice at worst (rows upsert by id).
 */
export function pstnWindows(from: number, now: number): PstnWindow[] {
  const end = dayStart(now) + day;
  const out: PstnWindow[] = [];
  for (let f = dayStart(from); f < end; f += maxRangeDays * day)
    out.push({ from: f, to: Math.min(end, f + maxRangeDays * day) });
  return out;
}

interface Source<T> {
  name: 'pstn' | 'directRouting';
  fn: string;
  stateKey: 'pstnSyncedThrough' | 'directRoutingSyncedThrough';
  parse: (v: unknown, source: string) => T;
  upsert: (rows: T[], now: number) => Promise<number>;
}

async function pull<T>(
  ctx: CollectorContext,
  src: Source<T>,
  syncedThrough: string | undefined,
  initialFrom: number,
) {
  const now = ctx.clock.now();
  // Re-read the last synced day: rows for a day keep arriving for a while.
  const from = syncedThrough ? Date.parse(syncedThrough) - day : initialFrom;
  let rows = 0;
  let broken = 0;
  for (const w of pstnWindows(from, now)) {
    const url = `/communications/callRecords/${src.fn}(fromDateTime=${isoDate(w.from)},toDateTime=${isoDate(w.to)})`;
    await ctx.client.forEachPage<unknown>('pstn', url, async (items) => {
      const parsed: T[] = [];
      for (const item of items) {
        try {
          parsed.push(src.parse(item, `graph ${src.fn}`));
        } catch {
          broken++;
        }
      }
      rows += await src.upsert(parsed, ctx.clock.now());
    });
  }
  // Today is still filling up: only days before it count as synced.
  await ctx.store.collectorState.write({ [src.stateKey]: isoDate(dayStart(now) - day) }, ctx.clock.now());
  if (broken) ctx.logger.warn({ source: src.name, broken }, 'skipped log rows calltrove cannot read');
  return rows;
}

/** Pulls both logs from where the last pull ended (or `initialFrom`); a missing permission is reported, not fatal. */
export async function syncPstnLogs(ctx: CollectorContext, initialFrom: number) {
  const { store } = ctx;
  const state = await store.collectorState.read();
  const pstn: Source<PstnCallLogRow> = {
    name: 'pstn',
    fn: 'getPstnCalls',
    stateKey: 'pstnSyncedThrough',
    parse: parsePstnCallLogRow,
    upsert: (rows, now) =>
      store.pstnLogs.upsertPstn(
        rows.map((r) => ctx.sink.logRow?.(r, 'pstn') ?? r),
        now,
      ),
  };
  const dr: Source<DirectRoutingLogRow> = {
    name: 'directRouting',
    fn: 'getDirectRoutingCalls',
    stateKey: 'directRoutingSyncedThrough',
    parse: parseDirectRoutingLogRow,
    upsert: (rows, now) =>
      store.pstnLogs.upsertDirectRouting(
        rows.map((r) => ctx.sink.logRow?.(r, 'directRouting') ?? r),
        now,
      ),
  };
  const result = { pstn: 0, directRouting: 0 };
  let refused: string | null = null;
  for (const src of [pstn, dr] as Source<unknown>[]) {
    try {
      result[src.name] = await pull(ctx, src, state[src.stateKey], initialFrom);
    } catch (err) {
      if (!(err instanceof GraphHttpError) || (err.status !== 403 && err.status !== 401)) throw err;
      const now = ctx.clock.now();
      const message = `Graph refused ${src.fn} (HTTP ${err.status}): grant the application permission CallRecord-PstnCalls.Read.All with admin consent`;
      ctx.logger.warn({ source: src.name }, message);
      await store.collectorState.write({ lastProblem: { at: now, message } }, now);
      refused ??= message;
    }
  }
  await notePstnTrouble(ctx, refused);
  ctx.logger.info(result, 'pulled PSTN and Direct Routing logs');
  return result;
}

/** The pstn-failing alert's fact: since when the pull keeps failing (kept across attempts), or null once it works. */
async function notePstnTrouble(ctx: CollectorContext, message: string | null): Promise<void> {
  const state = ctx.store.collectorState;
  const now = ctx.clock.now();
  const before = (await state.read()).pstnTrouble;
  if (message === null) {
    if (before) await state.write({ pstnTrouble: null }, now);
  } else await state.write({ pstnTrouble: { since: before?.since ?? now, message } }, now);
}

/** Job 'pstn': once a day, shortly after midnight UTC, when the previous day is complete. */
export async function runPstnJob(ctx: CollectorContext, job: ClaimedJob): Promise<void> {
  const now = ctx.clock.now();
  try {
    await syncPstnLogs(ctx, now - 30 * day);
    await ctx.store.workQueue.finish(job, dayStart(now) + day + 30 * 60_000, ctx.clock.now());
  } catch (err) {
    ctx.logger.warn({ problem: (err as Error).message }, 'PSTN log pull failed; will retry');
    await notePstnTrouble(ctx, `the PSTN log pull failed: ${(err as Error).message}`);
    await ctx.store.workQueue.fail(job, now + 3600_000, (err as Error).message, ctx.clock.now());
  }
}
