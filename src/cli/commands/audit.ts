// `calltrove audit [--since 7d] [--format table|json]`: who read end-user identifiable information, when, and what.
import type { Command } from 'commander';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { auditLog } from '../../service/audit-log.ts';
import { cliPrincipal } from '../../service/principal.ts';
import type { StoredAuditEntry } from '../../store/audit-log.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

const columns: Array<[string, (e: StoredAuditEntry) => string]> = [
  ['time (UTC)', (e) => new Date(e.at).toISOString().slice(0, 19).replace('T', ' ')],
  ['actor', (e) => e.actor],
  ['role', (e) => e.role],
  ['action', (e) => e.action],
  ['subject', (e) => `${e.subjectKind}:${e.subject ?? ''}`],
  ['rows', (e) => (e.rowsReturned === null ? '' : String(e.rowsReturned))],
  ['route', (e) => e.route ?? ''],
];

export function auditTable(entries: StoredAuditEntry[]): string {
  const cells = entries.map((e) => columns.map(([, f]) => f(e)));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([h]) => h)), ...cells.map(line)].join('\n');
}

export const registerAudit: Register = (program: Command, env) => {
  program
    .command('audit')
    .description('the audit log: every investigator read of end-user identifiable information (newest first)')
    .option('--since <time>', 'from: 7d, 12h, 2024-05-01 or an ISO timestamp', '7d')
    .option('--until <time>', 'until (exclusive), same forms as --since')
    .option('--user <id>', "only reads of this user's data (object id or UPN as it was read)")
    .option('--call <id>', 'only reads of this call')
    .option('--actor <actor>', 'only this actor, e.g. token:1a2b3c4d5e6f')
    .option('--limit <n>', 'at most this many entries', '1000')
    .option('--format <format>', 'table or json', 'table')
    .action(
      async (
        opts: {
          since: string;
          until?: string;
          user?: string;
          call?: string;
          actor?: string;
          limit: string;
          format: string;
        },
        cmd: Command,
      ) => {
        if (!['table', 'json'].includes(opts.format))
          throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
            hint: 'use table or json',
          });
        const clock = new SystemClock();
        const now = clock.now();
        const query = {
          since: parseTime(opts.since, now, 'since'),
          until: opts.until ? parseTime(opts.until, now, 'until') : undefined,
          user: opts.user,
          call: opts.call,
          actor: opts.actor,
          limit: Math.max(1, Number(opts.limit) || 1000),
        };
        const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
        try {
          const entries = await auditLog(opened.service, cliPrincipal(), query);
          if (opts.format === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
          else if (entries.length === 0) process.stdout.write('no audited reads in that window\n');
          else process.stdout.write(`${auditTable(entries)}\n`);
        } finally {
          await opened.close();
        }
      },
    );
};
