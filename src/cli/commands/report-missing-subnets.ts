// `calltrove report missing-subnets`: CQD's missing-subnet report as the dashboard shows it, the corporate gaps
// (with the building they most likely belong to) first and carrier-grade NAT, home and other subnets set apart.
import type { Command } from 'commander';
import { parseTimeRange } from '../../analytics/parse-quality-query.ts';
import type { QualityRow } from '../../analytics/quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { columnsOf, toCsv } from '../../format/csv.ts';
import { missingSubnetColumns, missingSubnetsReport } from '../../service/dashboard.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import { qualityTable } from './report.ts';

function count(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim()))
    throw new CalltroveError('bad_request', `bad ${name} "${v}"`, { hint: `${name} is a whole number ≥ 0` });
  return Number(v);
}

export function registerMissingSubnetsReport(report: Command, env: NodeJS.ProcessEnv): void {
  report
    .command('missing-subnets')
    .description(
      "CQD's missing-subnet report: subnets with 10+ audio streams from the tenant's own users that no building covers; corporate gaps (inside by egress or DNS suffix) first, carrier-grade NAT and home networks set apart",
    )
    .option('--since <time>', 'from: 7d, 12h, 2024-05-01 or an ISO timestamp (whole UTC days)')
    .option('--until <time>', 'until (exclusive), same forms as --since')
    .option('--min-streams <n>', "audio streams a subnet needs (CQD's 10)", '10')
    .option('--limit <n>', 'at most this many subnets', '100')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(
      async (
        opts: { since?: string; until?: string; minStreams: string; limit: string; format: string },
        cmd: Command,
      ) => {
        if (!['table', 'csv', 'json'].includes(opts.format))
          throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
            hint: 'use table, csv or json',
          });
        const clock = new SystemClock();
        const range = parseTimeRange(opts.since, opts.until, clock.now(), ['--since', '--until']);
        const minStreams = count(opts.minStreams, '--min-streams', 10);
        const limit = count(opts.limit, '--limit', 100);
        const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
        try {
          const { rows } = await missingSubnetsReport(opened.service, cliPrincipal(), {
            ...range,
            minStreams,
            limit,
          });
          const pick = (r: QualityRow) =>
            Object.fromEntries(missingSubnetColumns.map((k) => [k, r[k] ?? null]));
          if (opts.format === 'json') process.stdout.write(`${JSON.stringify(rows.map(pick), null, 2)}\n`);
          else if (opts.format === 'csv')
            process.stdout.write(toCsv(rows, columnsOf<QualityRow>(missingSubnetColumns), { eol: '\n' }));
          else {
            const corporate = rows.filter((r) => r.kind === 'corporate');
            const apart = rows.filter((r) => r.kind !== 'corporate');
            process.stdout.write(
              `Missing subnets (CQD): inside the corporate network, ${minStreams}+ audio streams from this tenant's users, in no building\n`,
            );
            process.stdout.write(
              corporate.length
                ? `${qualityTable(corporate, ['subnet', 'suggestedBuilding', 'insideBy', 'dnsSuffix', 'streams', 'poorPercent'])}\n`
                : 'none\n',
            );
            if (apart.length)
              process.stdout.write(
                `\nSet apart (carrierNat: 100.64.0.0/10 mobile carriers; home: private range on an ISP's DNS suffix; other)\n${qualityTable(apart, ['subnet', 'kind', 'dnsSuffix', 'streams', 'poorPercent'])}\n`,
              );
            process.stdout.write(`${corporate.length} corporate gap(s), ${apart.length} set apart\n`);
          }
        } finally {
          await opened.close();
        }
      },
    );
}
