// `calltrove audit [--since 7d] [--format table|json]`: who read end-user identifiable information, when, and what.
import type { Command } from 'commander';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { CalltroveError } from '../../errors.ts';
import { keyFileOf, loadKeyring } from '../../privacy/pseudonym-key.ts';
import { createTokenizer } from '../../privacy/pseudonymize.ts';
import { listAudit, type StoredAuditEntry } from '../../store/audit-log.ts';
import { commandConfig } from '../context.ts';
import { openCommandStore } from '../open-store.ts';
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
        const config = commandConfig(cmd, env);
        const now = Date.now();
        // Users are logged as pseudonym tokens: compute this user's token under every key still held.
        const subjects = [
          ...(opts.call ? [opts.call] : []),
          ...(opts.user
            ? createTokenizer(loadKeyring(keyFileOf(config)), config.tenantId).allTokens(opts.user)
            : []),
        ];
        const store = await openCommandStore(config, 'read');
        try {
          const entries = await listAudit(store.db, {
            since: parseTime(opts.since, now, 'since'),
            until: opts.until ? parseTime(opts.until, now, 'until') : undefined,
            actor: opts.actor,
            subjects: opts.user || opts.call ? subjects : undefined,
            limit: Math.max(1, Number(opts.limit) || 1000),
          });
          if (opts.format === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
          else if (entries.length === 0) process.stdout.write('no audited reads in that window\n');
          else process.stdout.write(`${auditTable(entries)}\n`);
        } finally {
          await store.close();
        }
      },
    );
};
