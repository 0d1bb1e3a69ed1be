// The retention job: clears EUII after privacy.euiiDays, removes records after privacy.recordDays, then compacts.
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import { lastTokenizedDay } from '../store/retention-analytics.ts';
import type { Counts, RetentionRun, RetentionTable } from '../store/retention-plan.ts';
import type { Store } from '../store/store.ts';
import { catalog, personalColumns } from './euii-catalog.ts';
import { expirePolicy, scrubJson } from './json-scrub.ts';
import { keyFileOf, loadKeyring } from './pseudonym-key.ts';
import { createTokenizer, dryRunTokenizer, type Tokenizer } from './pseudonymize.ts';

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

/**
 * The catalog as the store's retention steps take it: each table this store has and how it ages, its personal
 * columns and what they become, and how JSON values are scrubbed (all of it the catalog's rule, none of it SQL).
 */
export function retentionPlan(live: ReadonlySet<string>, tokens: Pick<Tokenizer, 'token'>): RetentionTable[] {
  const policy = expirePolicy(tokens);
  const out: RetentionTable[] = [];
  for (const t of catalog) {
    if (t.rule.kind === 'system' || !live.has(t.table)) continue;
    const columns = personalColumns(t).map(([column, rule]) => {
      const shape = rule.json;
      return {
        column,
        expire: rule.expire ?? ('null' as const),
        ...(rule.only ? { only: rule.only } : {}),
        ...(shape
          ? { scrub: (v: unknown, counts: Map<string, number>) => scrubJson(v, shape, policy, counts) }
          : {}),
      };
    });
    const metrics = Object.entries(t.columns)
      .filter(([, r]) => r.class === 'metric')
      .map(([c]) => c);
    out.push({ table: t.table, columns, metrics, ...t.rule });
  }
  return out;
}

/** Runs retention once. Idempotent: running it again as of the same time changes nothing. */
export async function runRetention(store: Store, options: RetentionOptions): Promise<RetentionReport> {
  const dryRun = options.dryRun ?? false;
  const euiiCutoff = options.now - options.euiiDays * DAY;
  const recordCutoff = options.now - options.recordDays * DAY;
  const tokens = dryRun ? dryRunTokenizer : { token: (v: string) => options.tokenizer().token(v) };
  const run: RetentionRun = {
    tables: retentionPlan(await store.retention.tables(), tokens),
    token: (v) => tokens.token(v),
    scrubRecord: (v, counts) => scrubJson(v, 'record', expirePolicy(tokens), counts),
    dryRun,
    tally: { cleared: {}, tokenized: {}, removed: {}, touched: new Set() },
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
    cleared: run.tally.cleared,
    tokenized: run.tally.tokenized,
    removed: run.tally.removed,
    compaction: null,
  };
  const started = dryRun ? undefined : await store.retentionRuns.start(options.clock.now(), options.now);
  report.recordsRemoved += await store.retention.removeReturned(run);
  report.recordsRemoved += await store.retention.removeOld(run, recordCutoff);
  report.recordsScrubbed = await store.retention.scrubRows(run, euiiCutoff);
  report.rawVersionsScrubbed = await store.retention.scrubRaw(run, euiiCutoff);
  await store.retention.tokenizeAnalytics(run, euiiCutoff);
  await store.retention.ageLogs(run, euiiCutoff, recordCutoff);
  if (!dryRun && run.tally.touched.size > 0)
    report.compaction = await store.retention.compact([...run.tally.touched], {
      vacuum: options.vacuum ?? true,
    });
  if (started !== undefined)
    await store.retentionRuns.finish(started, options.clock.now(), JSON.stringify(report));
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
