// `calltrove collect`, `calltrove backfill` and `calltrove status`: run the collector, fill the past, say how it goes.
import type { Command } from 'commander';
import { registerAlertMetrics } from '../../alerts/metrics.ts';
import { startAlertSchedule } from '../../alerts/schedule.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { startCollector } from '../../collector/collector.ts';
import { settingsFromConfig } from '../../collector/context.ts';
import { collectOnce, defaultOnceSince, type OnceResult } from '../../collector/once.ts';
import { collectorStatus, formatStatus } from '../../collector/status.ts';
import { CalltroveError } from '../../errors.ts';
import { callRecordRetentionDays } from '../../graph/odata.ts';
import { createRedactingLogger } from '../../privacy/log-redaction.ts';
import { startRetentionSchedule } from '../../privacy/retention.ts';
import { commandConfig } from '../command-config.ts';
import { keepAliveUntilStopped, processStop } from '../lifecycle.ts';
import { openCommandStore } from '../open-store.ts';
import type { Register } from './index.ts';

/** A --once run or a backfill that ended with records left: exit 6, naming a few and why. */
function incomplete(r: OnceResult): CalltroveError {
  const shown = r.left.slice(0, 5).map((l) => `${l.recordId}: ${l.reason}`);
  return new CalltroveError(
    'incomplete',
    `${r.left.length} listed record(s) are not stored whole:\n  ${shown.join('\n  ')}${r.left.length > 5 ? '\n  ...' : ''}`,
    {
      hint: 'run the same command again to fetch what is left (what is stored stays); `calltrove status` shows the queue and the last problem',
    },
  );
}

/** --since for call records: not before Graph's 30-day retention (older records are gone). */
function sinceOf(value: string, now: number): number {
  const t = parseTime(value, now, '--since');
  return Math.max(t, now - callRecordRetentionDays * 86_400_000);
}

export const registerCollect: Register = (program: Command, env) => {
  program
    .command('collect')
    .description(
      'collect call records from Microsoft Graph: change notifications, the version planner, reconciliation (runs until stopped)',
    )
    .option(
      '--listen <host:port>',
      'where the webhook, /metrics and /api/v1/health listen (default 127.0.0.1:4700)',
    )
    .option('--once', 'list since --since, fetch what is missing or outdated, then exit (for cron)')
    .option(
      '--since <time>',
      'with --once: records that started since (30d, 12h, a date); default: since the last run',
    )
    .action(async (opts: { listen?: string; once?: boolean; since?: string }, cmd: Command) => {
      const config = commandConfig(cmd, env, opts.listen ? { listen: opts.listen } : {});
      const logger = createRedactingLogger(config.logLevel);
      const clock = new SystemClock();
      const { signal } = processStop();
      const store = await openCommandStore(config, 'write');
      try {
        if (opts.once) {
          const now = clock.now();
          const settings = settingsFromConfig(config);
          const since = opts.since
            ? sinceOf(opts.since, now)
            : await defaultOnceSince({ store }, now, settings.reconcileLookbackMs);
          const r = await collectOnce({ config, store, clock, logger, since, pstn: true, signal });
          process.stdout.write(
            `calltrove: listed ${r.listed} record(s) since ${new Date(since).toISOString()}, planned ${r.planned} fetch(es), ${r.requests} Graph request(s)\n`,
          );
          if (r.left.length > 0) throw incomplete(r);
          return;
        }
        if (opts.since)
          throw new CalltroveError('bad_request', '--since belongs with --once', {
            hint: 'use `calltrove backfill --since 30d` to fill the past, then `calltrove collect` to keep up',
          });
        const collector = await startCollector({
          config,
          store,
          clock,
          logger,
          listen: config.listen,
          signal,
        });
        const where = collector.address
          ? `${collector.address.host}:${collector.address.port}`
          : config.listen;
        process.stdout.write(
          `calltrove: collecting; webhook, /metrics and /api/v1/health on http://${where}${
            config.notificationUrl
              ? `, notifications via ${config.notificationUrl}`
              : ' (no notification URL: reconciliation only)'
          }\n`,
        );
        // Retention (privacy.euiiDays, recordDays) runs inside the service; of several collectors, the leader.
        const retention = startRetentionSchedule({
          store,
          config,
          clock,
          logger,
          when: () => collector.isLeader(),
        });
        // Alerts (alerts.channels): evaluated every alerts.evaluateEvery by the leader; metrics on /metrics.
        const alerts = config.alerts.channels.length
          ? startAlertSchedule({
              store,
              config,
              clock,
              logger,
              when: () => collector.isLeader(),
              metrics: registerAlertMetrics(collector.metrics.registry, store),
            })
          : undefined;
        // SIGTERM/SIGINT aborts `signal`: every wait in the collector ends, running jobs are released, not awaited.
        const by = await keepAliveUntilStopped();
        logger.info({ signal: by }, 'stopping');
        await alerts?.stop();
        await retention.stop();
        await collector.stop();
      } finally {
        await store.close();
      }
    });
};

export const registerBackfill: Register = (program: Command, env) => {
  program
    .command('backfill')
    .description(
      'list call records that started since --since (at most 30 days back) and fetch every one not yet stored',
    )
    .option('--since <time>', 'how far back: 30d, 12h, a date or an ISO timestamp', '30d')
    .option('--pstn', 'also pull PSTN and Direct Routing logs for the same period')
    .action(async (opts: { since: string; pstn?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const logger = createRedactingLogger(config.logLevel);
      const clock = new SystemClock();
      const since = sinceOf(opts.since, clock.now());
      const { signal } = processStop();
      const store = await openCommandStore(config, 'write');
      try {
        const r = await collectOnce({ config, store, clock, logger, since, pstn: !!opts.pstn, signal });
        process.stdout.write(
          `calltrove: backfill listed ${r.listed} record(s) in ${r.pages} page(s) since ${new Date(since).toISOString()}; ` +
            `${r.planned} needed fetching; ${r.requests} Graph request(s)${
              r.pstnRows
                ? `; ${r.pstnRows.pstn} PSTN and ${r.pstnRows.directRouting} Direct Routing row(s)`
                : ''
            }\n`,
        );
        if (r.left.length > 0) throw incomplete(r);
      } finally {
        await store.close();
      }
    });
};

export const registerStatus: Register = (program: Command, env) => {
  program
    .command('status')
    .description(
      'is data arriving? subscription, last notification, last record stored, queue, and what is wrong',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { format: string }, cmd: Command) => {
      if (opts.format !== 'text' && opts.format !== 'json')
        throw new CalltroveError('bad_request', `bad --format "${opts.format}"`, {
          hint: 'use text or json',
        });
      const config = commandConfig(cmd, env);
      // Looking never creates: a mistyped --db is said as such, not answered from a new empty database.
      const store = await openCommandStore(config, 'read');
      try {
        const settings = settingsFromConfig(config);
        const status = await collectorStatus(store, {
          now: new SystemClock().now(),
          notificationUrl: config.notificationUrl,
          reconcileEveryMs: settings.reconcileEveryMs,
        });
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status),
        );
        // Scripts and monitoring can act on the exit code: 1 ('failing') when something is failing.
        if (status.health === 'failing')
          throw new CalltroveError('failing', 'the collector is failing', {
            hint: 'the problems above say what is wrong and what to do',
          });
      } finally {
        await store.close();
      }
    });
};
