// The retention job: clears EUII after privacy.euiiDays, removes records after privacy.recordDays, then compacts.
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import { compactStore } from '../store/privacy-compact.ts';
import { liveTables } from '../store/schema-info.ts';
import type { Store } from '../store/store.ts';
import { keyFileOf, loadKeyring } from './pseudonym-key.ts';
import { createTokenizer, dryRunTokenizer, type Tokenizer } from './pseudonymize.ts';
import { ageLogs } from './retention-logs.ts';
import {
  type Counts,
  removeOldRecords,
  removeReturnedRecords,
  type StepContext,
  scrubRawVersions,
  scrubRecordRows,
} from './retention-steps.ts';
import { lastTokenizedDay, tokenizeAnalytics } from './retention-tokenize.ts';

const DAY = 86_400_000;

export interface RetentionOptions {
  /** The time the run acts as of (epoch ms); `--now` sets it. */
  now: number;
  /** The real time, for the run log's start and finish. */
  clock: Pick<Clock, 'now'>;
  euiiDays: number;
  recordDays: number;
  dryRun?: boolean;
  /** Tokens for analytics user keys; made lazily, so the key file is only created when needed. */
  tokenizer: () => Tokenizer;
  /**
   * SQLite: VACUUM after the WAL checkpoint (default true). secure_delete already zeroes every cleared cell and
   * checkpoint(TRUNCATE) empties the -wal file, so the bytes are gone either way; VACUUM also rebuilds and
   * shrinks the file, but blocks the process while it runs, so the schedule inside serve/collect skips it.
   */
  vacuum?: boolean;
}

export interface RetentionReport {
  asOf: string;
  dryRun: boolean;
  /** Calls that ended before this lose their EUII. */
  euiiCutoff: string;
  /** Analytics rows of this UTC day and before have their user keys tokenized. */
  tokenizedThroughDay: string;
  /** Calls that ended before this are removed. */
  recordCutoff: string;
  recordsScrubbed: number;
  rawVersionsScrubbed: number;
  recordsRemoved: number;
  /** Values cleared per table.column (raw JSON: `raw_versions.body:<json path>`). */
  cleared: Counts;
  /** User ids replaced by their token (record rows, facts, rollups), per table.column. */
  tokenized: Counts;
  /** Rows removed per table. */
  removed: Counts;
  compaction: { done: boolean; detail: string } | null;
}

/** Runs retention once. Idempotent: running it again as of the same time changes nothing. */
export async function runRetention(store: Store, options: RetentionOptions): Promise<RetentionReport> {
  const dryRun = options.dryRun ?? false;
  const euiiCutoff = options.now - options.euiiDays * DAY;
  const recordCutoff = options.now - options.recordDays * DAY;
  const tokens = dryRun ? dryRunTokenizer : { token: (v: string) => options.tokenizer().token(v) };
  const ctx: StepContext = {
    store,
    tokens,
    tables: new Set(await liveTables(store.db)),
    dryRun,
    touched: new Set(),
    tokenized: {},
  };
  const report: RetentionReport = {
    asOf: new Date(options.now).toISOString(),
    dryRun,
    euiiCutoff: new Date(euiiCutoff).toISOString(),
    tokenizedThroughDay: new Date(lastTokenizedDay(euiiCutoff)).toISOString().slice(0, 10),
    recordCutoff: new Date(recordCutoff).toISOString(),
    recordsScrubbed: 0,
    rawVersionsScrubbed: 0,
    recordsRemoved: 0,
    cleared: {},
    tokenized: ctx.tokenized,
    removed: {},
    compaction: null,
  };
  const run = dryRun ? undefined : await store.retentionRuns.start(options.clock.now(), options.now);
  report.recordsRemoved += await removeReturnedRecords(ctx, report.removed);
  report.recordsRemoved += await removeOldRecords(ctx, recordCutoff, report.removed);
  report.recordsScrubbed = await scrubRecordRows(ctx, euiiCutoff, report.cleared);
  report.rawVersionsScrubbed = await scrubRawVersions(ctx, euiiCutoff, report.cleared);
  await tokenizeAnalytics(ctx, euiiCutoff, report.tokenized);
  await ageLogs(ctx, euiiCutoff, recordCutoff, report.cleared, report.removed);
  if (!dryRun && ctx.touched.size > 0)
    report.compaction = await compactStore(store.db, [...ctx.touched], { vacuum: options.vacuum ?? true });
  if (run !== undefined) await store.retentionRuns.finish(run, options.clock.now(), JSON.stringify(report));
  return report;
}

/** Retention options from the configuration (the pseudonym key file is read only when a token is needed). */
export function retentionOptions(
  config: Config,
  clock: Pick<Clock, 'now'>,
  now: number,
  dryRun = false,
): RetentionOptions {
  let tokens: Tokenizer | undefined;
  return {
    now,
    clock,
    dryRun,
    euiiDays: config.privacy.euiiDays,
    recordDays: config.privacy.recordDays,
    tokenizer: () => {
      tokens ??= createTokenizer(loadKeyring(keyFileOf(config), now), config.tenantId);
      return tokens;
    },
  };
}

/** One line per non-zero count, for logs and the CLI: names and numbers only. */
export function summarizeReport(report: RetentionReport): string[] {
  const lines: string[] = [];
  const section = (title: string, counts: Counts) => {
    for (const [k, n] of Object.entries(counts).sort()) lines.push(`${title} ${k}: ${n}`);
  };
  section('cleared', report.cleared);
  section('tokenized', report.tokenized);
  section('removed', report.removed);
  return lines;
}

export interface RetentionSchedule {
  /** Runs once now (also what the timer does); concurrent calls share one run. */
  runNow(): Promise<RetentionReport>;
  stop(): Promise<void>;
}

export interface RetentionScheduleOptions {
  store: Store;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Between runs (default 6 hours). */
  everyMs?: number;
  /** Before the first run (default 1 minute, so start-up is not slowed). */
  firstAfterMs?: number;
  /** VACUUM after each run (default false: a long VACUUM would stall webhook answers; see RetentionOptions). */
  vacuum?: boolean;
  /** A due run is skipped while this says no: of several collectors on one database, only the leader runs it. */
  when?: () => boolean;
}

/** Runs retention on its own inside `collect` and `serve`: soon after start, then every few hours. */
export function startRetentionSchedule(o: RetentionScheduleOptions): RetentionSchedule {
  const every = o.everyMs ?? 6 * 3600_000;
  let timer: TimerHandle | undefined;
  let running: Promise<RetentionReport> | undefined;
  let stopped = false;
  const runNow = () => {
    running ??= (async () => {
      try {
        const report = await runRetention(o.store, {
          ...retentionOptions(o.config, o.clock, o.clock.now()),
          vacuum: o.vacuum ?? false,
        });
        o.logger.info(
          {
            recordsScrubbed: report.recordsScrubbed,
            rawVersionsScrubbed: report.rawVersionsScrubbed,
            recordsRemoved: report.recordsRemoved,
            compacted: report.compaction?.done ?? null,
          },
          'privacy retention run finished',
        );
        return report;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = o.clock.setTimeout(() => {
      if (o.when && !o.when()) return schedule(every);
      runNow()
        .catch((err: unknown) =>
          o.logger.error({ err: (err as Error).message }, 'privacy retention run failed; retried next time'),
        )
        .finally(() => schedule(every));
    }, ms);
  };
  schedule(o.firstAfterMs ?? 60_000);
  return {
    runNow,
    async stop() {
      stopped = true;
      o.clock.clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
