// `calltrove calls`: the stored calls in a time window, as a table, JSON or CSV.
import type { Command } from 'commander';
import type { CallSummary } from '../../analytics/call-views.ts';
import { parseTimeRange } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { columnsOf, toCsv } from '../../format/csv.ts';
import { callList, userCallList } from '../../service/calls.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

const allColumns: Array<[string, (c: CallSummary) => string]> = [
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

const ownColumns = allColumns.map(([h, f]): [string, (c: CallSummary) => string] =>
  h === 'streams'
    ? ['own streams', (c) => String(c.ownStreamCount ?? '')]
    : h === 'poor'
      ? ['own poor', (c) => String(c.ownPoorStreamCount ?? '')]
      : [h, f],
);

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

/** The table; in a user's list the streams and poor columns are the user's own streams. */
export function callsTable(calls: CallSummary[], own = false): string {
  const columns = own ? ownColumns : allColumns;
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
    'ownStreamCount',
    'ownPoorStreamCount',
  ];
  return toCsv(calls, columnsOf<CallSummary>(keys), { eol: '\n' });
}

const mediaTypes = ['audio', 'video', 'vbss', 'other'];

interface CallsOptions {
  since?: string;
  until?: string;
  user?: string;
  poor?: boolean;
  media?: string;
  building?: string;
  q?: string;
  limit: string;
  offset?: string;
  format: string;
}

function whole(v: string, name: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < min)
    throw new CalltroveError('bad_request', `bad ${name} "${v}"`, { hint: `a whole number ≥ ${min}` });
  return n;
}

export const registerCalls: Register = (program: Command, env) => {
  program
    .command('calls')
    .description("list stored calls, newest first, with the API's filters (GET /api/v1/calls)")
    .option('--since <time>', 'calls that started at or after: 7d, 12h, 2024-05-01 or an ISO timestamp')
    .option('--until <time>', 'calls that started before (same forms as --since)')
    .option(
      '--user <id>',
      'only calls this user (object id) took part in, with their own streams and poor streams',
    )
    .option('--poor', "only calls with a poor stream (the user's own, with --user)")
    .option('--media <type>', `only calls with media of this type: ${mediaTypes.join(', ')}`)
    .option(
      '--building <name>',
      'only calls with a stream whose client end was in this building ("" for none)',
    )
    .option('--q <text>', 'search call id, organizer and participant names and UPNs')
    .option('--limit <n>', 'at most this many calls', '100')
    .option('--offset <n>', 'skip this many calls (paging)')
    .option('--format <format>', 'table, json or csv', 'table')
    .action(async (opts: CallsOptions, cmd: Command) => {
      if (!['table', 'json', 'csv'].includes(opts.format))
        throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
          hint: 'use table, json or csv',
        });
      if (opts.media !== undefined && !mediaTypes.includes(opts.media))
        throw new CalltroveError('bad_request', `unknown media type "${opts.media}"`, {
          hint: `use one of ${mediaTypes.join(', ')}`,
        });
      if (opts.user !== undefined && opts.user.trim() === '')
        throw new CalltroveError('bad_request', 'empty --user', { hint: "give the user's Entra object id" });
      const limit = whole(opts.limit, '--limit', 0);
      const offset = opts.offset === undefined ? undefined : whole(opts.offset, '--offset', 0);
      const clock = new SystemClock();
      const range = parseTimeRange(opts.since, opts.until, clock.now(), ['--since', '--until']);
      const search = {
        ...range,
        ...(opts.poor ? { poorOnly: true } : {}),
        ...(opts.media ? { mediaType: opts.media } : {}),
        ...(opts.building !== undefined ? { building: opts.building } : {}),
        ...(opts.q ? { text: opts.q } : {}),
        limit,
        ...(offset !== undefined ? { offset } : {}),
      };
      const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
      try {
        const list = opts.user
          ? await userCallList(opened.service, cliPrincipal(), opts.user.trim(), search)
          : await callList(opened.service, cliPrincipal(), search);
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(list.calls, null, 2)}\n`);
        else if (opts.format === 'csv') process.stdout.write(callsCsv(list.calls));
        else {
          process.stdout.write(`${callsTable(list.calls, Boolean(opts.user))}\n`);
          const shown = list.calls.length ? `${(offset ?? 0) + 1}–${(offset ?? 0) + list.calls.length}` : '0';
          process.stdout.write(
            `${shown} of ${list.total}${list.totalCapped ? '+' : ''} call(s)${opts.user ? "; streams and poor are the user's own" : ''}\n`,
          );
        }
      } finally {
        await opened.close();
      }
    });
};
