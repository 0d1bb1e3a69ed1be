// `calltrove report quality --by building,network-type --since 7d --format table|csv|json`.
import type { Command } from 'commander';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import { defaultMeasures, dimensionKey, type QualityRow } from '../../analytics/quality-query.ts';
import { queryQuality } from '../../analytics/query-quality.ts';
import { CalltroveError } from '../../errors.ts';
import { toCsv } from '../../format/csv.ts';
import { foldSmallGroups, suppressionNeeds } from '../../privacy/suppress.ts';
import { auditCliRead, optionsQuery } from '../audit-read.ts';
import { commandConfig } from '../context.ts';
import { openCommandStore } from '../open-store.ts';
import type { Register } from './index.ts';

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
    .option('--since <time>', 'from: 7d, 12h, 2024-05-01 or an ISO timestamp (whole UTC days)')
    .option('--until <time>', 'until (exclusive), same forms as --since')
    .option('--order-by <keys>', 'measures or grouped dimensions, - for descending, e.g. -poorPercent')
    .option('--limit <n>', 'at most this many rows')
    .option('--min-classified <n>', 'leave out groups with fewer classified streams')
    .option('--format <format>', 'table, csv or json', 'table')
    .option(
      '--as-viewer',
      'fold groups of fewer than privacy.minGroupSize users into "other", as a viewer sees them (reports to share)',
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
        const q = parseQualityQuery(
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
          Date.now(),
        );
        const config = commandConfig(cmd, env);
        const store = await openCommandStore(config, 'read');
        try {
          const keys = [...q.by.map(dimensionKey), ...(q.measures ?? defaultMeasures)];
          // The CLI runs as the database's owner (an investigator); --as-viewer applies small-group suppression.
          const requested = q.measures ?? [...defaultMeasures];
          const rows = opts.asViewer
            ? foldSmallGroups(
                await queryQuality(store.db, {
                  ...q,
                  measures: [...requested, ...(suppressionNeeds(requested) as typeof requested)],
                }),
                { keys: q.by.map(dimensionKey), minGroupSize: config.privacy.minGroupSize },
              )
            : await queryQuality(store.db, q);
          // Per-user rows (or rows of one user) show individuals, unless folded as a viewer sees them.
          if (!opts.asViewer && (q.by.includes('user') || q.filters.user))
            await auditCliRead(store, config, {
              action: 'quality.individuals',
              resource: optionsQuery({
                by: opts.by,
                filter: opts.filter,
                since: opts.since,
                until: opts.until,
              }),
              count: rows.length,
              command: 'calltrove report quality',
            });
          if (opts.format === 'json') {
            const tidied = rows.map((r) => Object.fromEntries(keys.map((k) => [k, tidy(r[k] ?? null)])));
            process.stdout.write(`${JSON.stringify(tidied, null, 2)}\n`);
          } else if (opts.format === 'csv') {
            const columns = keys.map((k) => ({ header: k, value: (r: (typeof rows)[number]) => tidy(r[k]) }));
            process.stdout.write(toCsv(rows, columns, { eol: '\n' }));
          } else process.stdout.write(`${qualityTable(rows, keys)}\n${rows.length} row(s)\n`);
        } finally {
          await store.close();
        }
      },
    );
};
