// `calltrove privacy rotate-key|catalog` and `calltrove report residency`: keys, the EUII catalog, residency.
import type { Command } from 'commander';
import type { ResidencyReport } from '../../analytics/get-residency.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { catalogMarkdown } from '../../privacy/catalog-markdown.ts';
import { catalog } from '../../privacy/euii-catalog.ts';
import { jsonPaths } from '../../privacy/euii-json.ts';
import { keyFileOf, rotateKey } from '../../privacy/pseudonym-key.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { residencyReport } from '../../service/privacy.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

function checkFormat(format: string, allowed: string[]): void {
  if (!allowed.includes(format))
    throw new CalltroveError('bad_request', `unknown format "${format}"`, {
      hint: `use ${allowed.join(', ')}`,
    });
}

export function residencyText(r: ResidencyReport): string {
  const lines = [
    `tenant ${r.tenantId ?? "(not configured: each record's fetching tenant)"}, data location ${r.dataLocation ?? '(not configured: set privacy.dataLocation)'}`,
    `records by view: organizer ${r.views.organizer}, participant ${r.views.participant}, unknown ${r.views.unknown}`,
    '',
    `calls organized by other tenants with our users: ${r.foreignOrganized.calls}`,
    '  (their full telemetry, our users included, is the organizer tenant’s: its region, its retention)',
  ];
  for (const t of r.foreignOrganized.byOrganizerTenant)
    lines.push(`  organizer tenant ${t.tenantId}: ${t.calls} call(s), ${t.participants} of our participants`);
  if (r.foreignOrganized.list.length > 0) {
    lines.push('', '  start (UTC)          organizer tenant                      view         ours  id');
    for (const c of r.foreignOrganized.list)
      lines.push(
        `  ${(c.startDateTime ?? '').slice(0, 19).replace('T', ' ').padEnd(19)}  ${c.organizerTenantId.padEnd(36)}  ${c.view.padEnd(11)}  ${String(c.ourParticipants).padStart(4)}  ${c.id}`,
      );
  }
  lines.push('', `calls organized here with users of other tenants: ${r.hostedForeign.calls}`);
  for (const t of r.hostedForeign.byParticipantTenant)
    lines.push(
      `  tenant ${t.tenantId}: ${t.calls} call(s), ${t.participants} participant(s) whose telemetry is held here`,
    );
  lines.push(
    '',
    'not visible here: meetings our users joined as guests signed in to another tenant (the record, and the',
    'upload of their telemetry, belong to that tenant alone)',
  );
  return `${lines.join('\n')}\n`;
}

export const registerPrivacy: Register = (program: Command, env) => {
  const privacy = program.command('privacy').description('pseudonym keys and the EUII catalog');
  privacy
    .command('rotate-key')
    .description(
      'start a new pseudonym key: new data gets new tokens (a user before and after groups as two)',
    )
    .option('--forget-old', 'destroy the old keys: old tokens can never again be linked to anyone')
    .action((opts: { forgetOld?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const ring = rotateKey(keyFileOf(config), {
        now: new SystemClock().now(),
        forgetOld: opts.forgetOld ?? false,
      });
      process.stdout.write(
        `pseudonym key ${ring.current.id} is current (${ring.keys.length} key(s) held in ${ring.file})\n`,
      );
    });
  privacy
    .command('catalog')
    .description(
      'every personal column and Graph JSON path, and what pseudonymization and retention do to it',
    )
    .option('--format <format>', 'markdown or json', 'markdown')
    .action((opts: { format: string }) => {
      checkFormat(opts.format, ['markdown', 'json']);
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify({ tables: catalog, json: jsonPaths() }, null, 2)}\n`
          : catalogMarkdown(),
      );
    });
};

export const registerResidencyReport: Register = (program: Command, env) => {
  const report =
    program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports');
  report
    .command('residency')
    .description(
      'whose view each record is; calls other tenants organized with our users (their data, their region)',
    )
    .option('--since <time>', 'calls from: 30d, 2024-05-01 or an ISO timestamp')
    .option('--until <time>', 'until (exclusive)')
    .option('--limit <n>', 'list at most this many calls', '50')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { since?: string; until?: string; limit: string; format: string }, cmd: Command) => {
      checkFormat(opts.format, ['table', 'json']);
      const clock = new SystemClock();
      const now = clock.now();
      const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
      try {
        const r = await residencyReport(opened.service, cliPrincipal(), {
          since: opts.since ? parseTime(opts.since, now, 'since') : undefined,
          until: opts.until ? parseTime(opts.until, now, 'until') : undefined,
          limit: Math.max(1, Number(opts.limit) || 50),
        });
        process.stdout.write(opts.format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : residencyText(r));
      } finally {
        await opened.close();
      }
    });
};
