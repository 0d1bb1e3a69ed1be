// Works one fetch-record job: skip when nothing new is known, else fetch the whole record and ingest it.
import { CalltroveError } from '../errors.ts';
import { callRecordRetentionDays } from '../graph/odata.ts';
import { GraphParseError } from '../graph/parse.ts';
import type { ClaimedJob } from '../store/work-queue.ts';
import type { CollectorContext } from './context.ts';
import { GraphHttpError } from './graph-client.ts';
import { settleFetchJob } from './planner.ts';

const retentionMs = callRecordRetentionDays * 86_400_000;

/** Waits between tries for a record Graph does not show yet: 5 s, 10 s, 20 s ... at most 10 min. */
export function missingRetryMs(attempts: number): number {
  return Math.min(10 * 60_000, 5000 * 2 ** Math.max(0, attempts - 1));
}

/** Waits after a failed fetch (throttled beyond patience, 5xx after retries): base (1 min) doubling, at most 30 min. */
export function failureRetryMs(attempts: number, baseMs = 60_000): number {
  return Math.min(30 * 60_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

const timeOf = (v: unknown) => {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? null : t;
};

export async function runFetchJob(ctx: CollectorContext, job: ClaimedJob): Promise<void> {
  const { store, clock, settings, metrics, logger } = ctx;
  const id = job.key;
  const plan = await store.recordPlans.get(id);
  if (!plan) {
    await store.workQueue.finish(job, null, clock.now(), { authoritative: true });
    return;
  }
  const seqAtStart = plan.notifySeq;
  const dirty = seqAtStart > plan.fetchedSeq;
  const stored = plan.storedVersion ?? (await ctx.sink.storedVersion(id));

  // Nothing announced since the last fetch, and no list showed a newer version: no request at all.
  if (!dirty && stored !== null && (plan.knownVersion === null || plan.knownVersion <= stored)) {
    metrics.fetchesSkipped.inc();
    await store.transaction(async (tx) => {
      await tx.recordPlans.noteStored(
        id,
        { version: stored, startAt: null, endAt: null, seqAtStart, fetched: false },
        clock.now(),
      );
      await settleFetchJob(tx, settings, job, clock.now());
    });
    return;
  }

  let result: Awaited<ReturnType<typeof ctx.fetcher.fetch>>;
  try {
    result = await ctx.fetcher.fetch(id);
  } catch (err) {
    await failJob(ctx, job, err);
    return;
  }
  const now = clock.now();

  if (result.status === 'missing') {
    const missingSince = plan.missingSince ?? now;
    const pastRetention = plan.startAt !== null && now - plan.startAt > retentionMs;
    await store.recordPlans.noteMissing(id, now);
    if (pastRetention || now - missingSince >= settings.missingGiveUpMs) {
      logger.warn(
        { recordId: id, missingForSeconds: Math.round((now - missingSince) / 1000), pastRetention },
        'Graph does not have this call record; giving up on it',
      );
      await store.workQueue.finish(job, null, now, { authoritative: true });
    } else
      await store.workQueue.fail(job, now + missingRetryMs(job.attempts), 'HTTP 404: not available yet', now);
    return;
  }

  let saved: Awaited<ReturnType<typeof ctx.sink.save>>;
  try {
    saved = await ctx.sink.save(result.record, now);
  } catch (err) {
    if (err instanceof GraphParseError) {
      // The message names the JSON path, never values; a later version may parse, so keep trying slowly.
      logger.error(
        { recordId: id, problem: err.message },
        'Graph returned a call record calltrove cannot read',
      );
      await store.workQueue.fail(job, now + 3600_000, `unreadable record: ${err.jsonPath}`, now);
      return;
    }
    throw err;
  }

  const record = result.record;
  const storedAt = clock.now();
  const endAt = timeOf(record.endDateTime);
  // Fetched after the final horizon: this fetch was the final look, no list check needed later.
  const final = endAt !== null && now >= endAt + settings.finalHorizonMs;
  await store.transaction(async (tx) => {
    await tx.recordPlans.noteStored(
      id,
      { version: saved.version, startAt: timeOf(record.startDateTime), endAt, seqAtStart, final },
      storedAt,
    );
    await settleFetchJob(tx, settings, job, storedAt);
    await tx.collectorState.write(
      { lastRecordStored: { at: storedAt, id, version: saved.version } },
      storedAt,
    );
  });

  metrics.recordsStored.inc({ outcome: saved.outcome });
  if (saved.outcome === 'inserted' || saved.outcome === 'updated') {
    const skipped = saved.version - (stored ?? 0) - 1;
    if (skipped > 0) metrics.versionsSkipped.inc(skipped);
  }
  if (plan.firstStoredAt === null && plan.firstNotifiedAt !== null)
    metrics.notificationToStore.observe({ phase: 'v1' }, (storedAt - plan.firstNotifiedAt) / 1000);
  logger.debug(
    { recordId: id, version: saved.version, outcome: saved.outcome, requests: result.requests },
    'stored',
  );
}

async function failJob(ctx: CollectorContext, job: ClaimedJob, err: unknown): Promise<void> {
  const now = ctx.clock.now();
  const retryAt = now + failureRetryMs(job.attempts, ctx.settings.failureRetryBaseMs);
  if (err instanceof GraphHttpError) {
    ctx.logger.warn(
      { recordId: job.key, status: err.status, code: err.graphCode },
      'fetch failed; will retry',
    );
  } else if (err instanceof CalltroveError) {
    // Credentials or configuration went bad while running (an expired secret): say so where status looks.
    ctx.logger.error(
      { recordId: job.key, problem: err.message, hint: err.hint },
      'cannot fetch call records',
    );
    await ctx.store.collectorState.write(
      { lastProblem: { at: now, message: `${err.message}. ${err.hint ?? ''}`.trim() } },
      now,
    );
  } else throw err;
  await ctx.store.workQueue.fail(job, retryAt, err.message, now);
}
