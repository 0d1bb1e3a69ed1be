// `calltrove calls`: the stored calls in a time window, as a table, JSON or CSV.
import type { Command } from 'commander';
import type { CallSummary } from '../../analytics/call-views.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { columnsOf, toCsv } from '../../format/csv.ts';
import { callList } from '../../service/calls.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

const columns: Array<[string, (c: CallSummary) => string]> = [
  ['start (UTC)', (c) => (c.startDateTime ? c.startDateTime.slice(0, 19).replace('T', ' ') : '')],
  ['duration', (c) => (c.durationMs === null ? '' : formatDuration(c.durationMs))],
  ['type', (c) => c.type ?? ''],
  ['modalities', (c) => c.modalities.join(',')],
  ['organizer', (c) => c.organizerName ?? c.organizerId ?? ''],
  ['people', (c) => String(c.participantCount)],
  ['sessions', (c) => String(c.sessionCount)],
  ['streams', (c) => String(c.streamCount)],
  ['poor', (c) => String(c.poorStreamCount)],
  ['view', (c) => c.view],
  ['id', (c) => c.id],
];

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}

export function callsTable(calls: CallSummary[]): string {
  const cells = calls.map((c) => columns.map(([, f]) => f(c)));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([h]) => h)), ...cells.map(line)].join('\n');
}

export function callsCsv(calls: CallSummary[]): string {
  const keys: (keyof CallSummary)[] = [
    'id',
    'version',
    'type',
    'modalities',
    'startDateTime',
    'endDateTime',
    'durationMs',
    'organizerName',
    'organizerId',
    'organizerTenantId',
    'view',
    'viewTenantId',
    'participantCount',
    'sessionCount',
    'streamCount',
    'poorStreamCount',
  ];
  return toCsv(calls, columnsOf<CallSummary>(keys), { eol: '\n' });
}

export const registerCalls: Register = (program: Command, env) => {
  program
    .command('calls')
    .description('list stored calls, newest first')
    .option('--since <time>', 'calls that started at or after: 7d, 12h, 2024-05-01 or an ISO timestamp')
    .option('--until <time>', 'calls that started before (same forms as --since)')
    .option('--limit <n>', 'at most this many calls', '100')
    .option('--format <format>', 'table, json or csv', 'table')
    .action(async (opts: { since?: string; until?: string; limit: string; format: string }, cmd: Command) => {
      if (!['table', 'json', 'csv'].includes(opts.format))
        throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
          hint: 'use table, json or csv',
        });
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 0)
        throw new CalltroveError('bad_request', `bad --limit "${opts.limit}"`, {
          hint: 'a whole number ≥ 0',
        });
      const clock = new SystemClock();
      const now = clock.now();
      const search = {
        since: opts.since === undefined ? undefined : parseTime(opts.since, now, '--since'),
        until: opts.until === undefined ? undefined : parseTime(opts.until, now, '--until'),
        limit,
      };
      const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
      try {
        const list = await callList(opened.service, cliPrincipal(), search);
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(list.calls, null, 2)}\n`);
        else if (opts.format === 'csv') process.stdout.write(callsCsv(list.calls));
        else {
          process.stdout.write(`${callsTable(list.calls)}\n`);
          process.stdout.write(`${list.calls.length} of ${list.total} call(s)\n`);
        }
      } finally {
        await opened.close();
      }
    });
};
