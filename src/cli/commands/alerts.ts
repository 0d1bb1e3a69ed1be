// `calltrove alerts check|list|rules|ack|mute|unmute|test`: evaluate and deliver once (cron), see and handle alerts.
import type { Command } from 'commander';
import { acknowledgeAlert, muteAlerts, testChannel } from '../../alerts/actions.ts';
import { createChannels } from '../../alerts/channels/index.ts';
import { valueText } from '../../alerts/message.ts';
import { resolveRules } from '../../alerts/rules.ts';
import { runAlerts } from '../../alerts/run-check.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { createRedactingLogger } from '../../privacy/log-redaction.ts';
import type { StoredAlert } from '../../store/alerts.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandStore } from '../open-store.ts';
import type { Register } from './index.ts';

/** The command line's time: the system clock (the one place time is read is src/clock). */
const clock = new SystemClock();

const iso = (t: number | null) =>
  t === null ? '' : new Date(t).toISOString().slice(0, 16).replace('T', ' ');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function alertsTable(alerts: StoredAlert[]): string {
  if (alerts.length === 0) return 'no alerts\n';
  return table(
    ['id', 'state', 'severity', 'rule', 'since (UTC)', 'value', 'title'],
    alerts.map((a) => [
      String(a.id),
      a.state === 'firing' ? (a.ackedAt ? 'firing (ack)' : 'firing') : `resolved ${iso(a.resolvedAt)}`,
      a.severity,
      a.ruleId,
      iso(a.startedAt),
      valueText(a.value, a.unit),
      a.title,
    ]),
  );
}

function formatOf(v: string): 'text' | 'json' {
  if (v !== 'text' && v !== 'json')
    throw new CalltroveError('bad_request', `bad --format "${v}"`, { hint: 'use text or json' });
  return v;
}

export const registerAlerts: Register = (program: Command, env) => {
  const alerts = program
    .command('alerts')
    .description(
      'alert rules and channels (alerts in the config file): evaluate, list, acknowledge, mute, test',
    );

  alerts
    .command('check')
    .description(
      'evaluate every rule once and deliver what is due, including what earlier runs could not (for cron)',
    )
    .option('--now <time>', 'evaluate as of this time (an ISO timestamp or date); default now')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { now?: string; format: string }, cmd: Command) => {
      const format = formatOf(opts.format);
      const config = commandConfig(cmd, env);
      const logger = createRedactingLogger(config.logLevel);
      const evaluateAt = opts.now ? parseTime(opts.now, clock.now(), '--now') : undefined;
      const channels = createChannels(config.alerts.channels);
      const store = await openCommandStore(config, 'read');
      try {
        const r = await runAlerts({
          store,
          config,
          channels,
          logger,
          now: () => clock.now(),
          evaluateAt,
          retryEarlierFailures: true,
        });
        if (format === 'json') process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else if (!r.evaluation)
          process.stdout.write('calltrove: another process is evaluating alerts right now; nothing done\n');
        else {
          const e = r.evaluation;
          const count = (c: string) => e.changes.filter((x) => x.change === c).length;
          const lines = [
            `calltrove: evaluated as of ${e.at}: ${count('fired')} fired, ${count('updated')} updated, ${count('resolved')} resolved, ${count('held')} held back; ${e.firing} firing`,
            ...e.changes.map(
              (c) => `  ${c.change.padEnd(8)} #${c.alertId} ${c.ruleId} ${c.scopeKey}: ${c.title}`,
            ),
            ...e.skipped.map((s) => `  skipped  ${s.rule}: ${s.reason}`),
          ];
          const d = r.delivery;
          if (config.alerts.channels.length === 0)
            lines.push(
              'calltrove: no channel is configured (alerts.channels): alerts are kept, nothing is sent',
            );
          else if (d)
            lines.push(
              `calltrove: delivered ${d.delivered} message(s), ${d.retrying} to retry, ${d.failed} given up`,
              ...d.errors.map((x) => `  ${x.channel}: ${x.error}`),
            );
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        // Cron and monitoring can act on it: exit 1 ('failing') when a message could not be delivered.
        if (r.delivery && (r.delivery.retrying > 0 || r.delivery.failed > 0))
          throw new CalltroveError(
            'failing',
            `${r.delivery.retrying + r.delivery.failed} alert message(s) not delivered`,
            {
              hint: 'the lines above name the channel and the error; undelivered messages are retried by the next check',
            },
          );
      } finally {
        for (const c of channels.values()) await c.close?.();
        await store.close();
      }
    });

  alerts
    .command('list')
    .description('firing alerts (with --all, resolved ones too, newest first)')
    .option('--all', 'include resolved alerts (history)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { all?: boolean; limit: string; format: string }, cmd: Command) => {
      const format = formatOf(opts.format);
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const limit = Math.max(1, Number(opts.limit) || 50);
        const list = opts.all
          ? await store.alerts.list({ limit })
          : await store.alerts.list({ state: 'firing', limit });
        const mutes = await store.alerts.mutes(clock.now());
        if (format === 'json') process.stdout.write(`${JSON.stringify({ alerts: list, mutes }, null, 2)}\n`);
        else {
          process.stdout.write(alertsTable(list));
          for (const m of mutes)
            process.stdout.write(
              `muted: ${m.ruleId}${m.scopeKey === '*' ? '' : `:${m.scopeKey}`} until ${iso(m.untilAt)} UTC\n`,
            );
        }
      } finally {
        await store.close();
      }
    });

  alerts
    .command('rules')
    .description('the rules in force (built-in defaults with the config file over them) and the channels')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { format: string }, cmd: Command) => {
      const format = formatOf(opts.format);
      const config = commandConfig(cmd, env);
      const rules = resolveRules(config.alerts);
      const channels = [...createChannels(config.alerts.channels).values()].map((c) => ({
        name: c.name,
        type: c.type,
        target: c.target,
      }));
      if (format === 'json') {
        process.stdout.write(`${JSON.stringify({ rules, channels }, null, 2)}\n`);
        return;
      }
      const dur = (ms: number) =>
        ms === 0 ? '' : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;
      process.stdout.write(
        table(
          ['rule', 'on', 'severity', 'threshold', 'window', 'min volume', 'repeat', 'what'],
          rules.map((r) => [
            r.id,
            r.enabled ? 'yes' : 'no',
            r.severity,
            valueText(r.threshold, r.unit),
            dur(r.window),
            String(r.minVolume),
            dur(r.repeatEvery),
            r.name,
          ]),
        ),
      );
      process.stdout.write(
        channels.length
          ? `\nchannels:\n${channels.map((c) => `  ${c.name} (${c.type}) ${c.target}`).join('\n')}\n`
          : '\nno channels configured (alerts.channels): alerts are kept but not sent\n',
      );
    });

  alerts
    .command('ack <id>')
    .description(
      'acknowledge a firing alert: no more "worse" messages for it (it still says when it resolves)',
    )
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const a = await acknowledgeAlert(store, Number(id), 'cli', clock.now());
        process.stdout.write(`calltrove: acknowledged alert ${a.id}: ${a.title}\n`);
      } finally {
        await store.close();
      }
    });

  alerts
    .command('mute <target>')
    .description(
      'hold back messages of an alert (its id), a rule and scope (rule:scope) or a whole rule, for a time',
    )
    .requiredOption('--for <duration>', 'how long: 30m, 4h, 7d')
    .action(async (target: string, opts: { for: string }, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const m = await muteAlerts(store, config, target, opts.for, 'cli', clock.now());
        process.stdout.write(
          `calltrove: muted ${m.ruleId}${m.scopeKey === '*' ? ' (every scope)' : ` for ${m.scopeKey}`} until ${new Date(m.untilAt).toISOString()}\n`,
        );
      } finally {
        await store.close();
      }
    });

  alerts
    .command('unmute <target>')
    .description('end a mute early: a rule, or rule:scope')
    .action(async (target: string, _opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const i = target.indexOf(':');
        const n = await store.alerts.unmute(
          { ruleId: i < 0 ? target : target.slice(0, i), scopeKey: i < 0 ? '*' : target.slice(i + 1) },
          'cli',
          clock.now(),
        );
        process.stdout.write(`calltrove: ${n ? `ended ${n} mute(s)` : 'nothing was muted that way'}\n`);
      } finally {
        await store.close();
      }
    });

  alerts
    .command('test <channel>')
    .description('send a test message to a channel now and say whether it arrived')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const channels = createChannels(config.alerts.channels);
      try {
        const c = await testChannel(channels, name, clock.now());
        process.stdout.write(`calltrove: the test message reached ${c.name} (${c.type}, ${c.target})\n`);
      } finally {
        for (const c of channels.values()) await c.close?.();
      }
    });
};
