// `calltrove report quality --by building,network-type --since 7d --format table|csv|json`.
import type { Command } from 'commander';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import { dimensionKey, type QualityRow } from '../../analytics/quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { toCsv } from '../../format/csv.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { qualityReport } from '../../service/quality.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';
import { registerCausesReport } from './report-causes.ts';
import { registerChangesReport } from './report-changes.ts';
import { registerMissingSubnetsReport } from './report-missing-subnets.ts';

/** Six decimals are plenty for rates and averages and keep output free of float noise. */
const tidy = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(6)) : v);

function display(key: string, v: unknown): string {
  if (v === null || v === undefined)
    return key.endsWith('Percent') || key.startsWith('avg') || key.startsWith('p90') ? '' : '(unknown)';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v) && !/Percent$|^avg|^p90|Minutes$|^minutes$/.test(key)) return String(v);
  if (key === 'avgPacketLoss' || key === 'avgConcealedRatio') return v.toFixed(4);
  return v.toFixed(2);
}

export function qualityTable(rows: QualityRow[], keys: string[]): string {
  const cells = rows.map((r) => keys.map((k) => display(k, r[k])));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
  const numeric = keys.map((k) => rows.some((r) => typeof r[k] === 'number'));
  const line = (c: string[]) =>
    c
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(keys), ...cells.map(line)].join('\n');
}

function render(rows: QualityRow[], keys: string[], format: string): string {
  if (format === 'json')
    return `${JSON.stringify(
      rows.map((r) => Object.fromEntries(keys.map((k) => [k, tidy(r[k] ?? null)]))),
      null,
      2,
    )}\n`;
  if (format === 'csv') {
    const columns = keys.map((k) => ({ header: k, value: (r: QualityRow) => tidy(r[k]) }));
    return toCsv(rows, columns, { eol: '\n' });
  }
  return `${qualityTable(rows, keys)}\n${rows.length} row(s)\n`;
}

export const registerReport: Register = (program: Command, env) => {
  const report = program.command('report').description('call-quality reports from the rollups');
  report
    .command('quality')
    .description('streams, poor streams and poor % (and more measures) grouped by dimensions')
    .option(
      '--by <dimensions>',
      'comma-separated: day, hour, building, city, country, region, subnet, network-type, wifi-band, vpn, inside-corp, platform, product-family, client-version, capture-device, render-device, user, call-type, media-type, direction',
      '',
    )
    .option(
      '--measures <measures>',
      'comma-separated measures (default streams,classifiedStreams,poorStreams,poorPercent,calls)',
    )
    .option(
      '--filter <dimension=values>',
      'keep streams whose dimension has one of the values (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--since <time>',
      'from: 7d, 12h, 2024-05-01 or an ISO timestamp (whole hours: 24h at 13:37 starts at 14:00 yesterday)',
    )
    .option('--until <time>', 'until (exclusive), same forms as --since')
    .option('--tz <zone>', 'IANA time zone dates without a zone are read in (default UTC)')
    .option('--order-by <keys>', 'measures or grouped dimensions, - for descending, e.g. -poorPercent')
    .option('--limit <n>', 'at most this many rows')
    .option('--min-classified <n>', 'leave out groups with fewer classified streams')
    .option('--format <format>', 'table, csv or json', 'table')
    .option(
      '--as-viewer',
      'answer as a viewer is answered: groups of fewer than privacy.minGroupSize users folded into "other", no per-user rows (reports to share)',
    )
    .action(
      async (
        opts: {
          asViewer?: boolean;
          by: string;
          measures?: string;
          filter: string[];
          since?: string;
          until?: string;
          tz?: string;
          orderBy?: string;
          limit?: string;
          minClassified?: string;
          format: string;
        },
        cmd: Command,
      ) => {
        if (!['table', 'csv', 'json'].includes(opts.format))
          throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
            hint: 'use table, csv or json',
          });
        const clock = new SystemClock();
        const query = parseQualityQuery(
          {
            by: opts.by,
            measures: opts.measures,
            filters: opts.filter,
            since: opts.since,
            until: opts.until,
            orderBy: opts.orderBy,
            limit: opts.limit,
            minClassifiedStreams: opts.minClassified,
          },
          clock.now(),
          opts.tz,
        );
        const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
        try {
          const answer = await qualityReport(opened.service, cliPrincipal(opts.asViewer), query);
          const keys = [...query.by.map(dimensionKey), ...answer.measures];
          process.stdout.write(render(answer.rows, keys, opts.format));
        } finally {
          await opened.close();
        }
      },
    );
  registerMissingSubnetsReport(report, env);
  registerCausesReport(report, env);
  registerChangesReport(report, env);
};
