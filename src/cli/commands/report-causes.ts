// `calltrove report causes`: "Where is the problem?" — the dimension values (and pairs) that explain the most poor
// streams beyond the scope's normal rate, most specific first, with what each explains (docs/analytics.md).
import type { Command } from 'commander';
import type { CauseRow, CausesAnswer } from '../../analytics/cause-types.ts';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { toCsv } from '../../format/csv.ts';
import { causesReport } from '../../service/causes.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import { checkInsightOptions, type InsightOptions, insightOptions } from './insight-options.ts';

const fixed = (v: number, d = 1) => Number(v.toFixed(d));
const reasons = (r: CauseRow) => r.topReasons.map((x) => `${x.reason} ${x.poorStreams}`).join(', ');

/** One flat row per cause: the plain fields JSON consumers and spreadsheets read. */
const columns: { header: string; value: (r: CauseRow) => string | number | null }[] = [
  { header: 'rank', value: (r) => r.rank },
  { header: 'dimensions', value: (r) => r.dimensions.join('+') },
  { header: 'values', value: (r) => r.values.join('+') },
  { header: 'streams', value: (r) => r.streams },
  { header: 'classifiedStreams', value: (r) => r.classifiedStreams },
  { header: 'poorStreams', value: (r) => r.poorStreams },
  { header: 'poorPercent', value: (r) => fixed(r.poorPercent) },
  { header: 'restPoorPercent', value: (r) => fixed(r.restPoorPercent) },
  { header: 'excessPoorStreams', value: (r) => fixed(r.excessPoorStreams) },
  { header: 'shareOfPoorPercent', value: (r) => fixed(r.shareOfPoorPercent) },
  { header: 'z', value: (r) => fixed(r.z) },
  { header: 'topReasons', value: reasons },
  { header: 'users', value: (r) => r.users },
  { header: 'explains', value: (r) => r.explains.join('; ') },
];

function table(a: CausesAnswer): string {
  const s = a.scope;
  const head = `Scope: ${s.classifiedStreams} classified streams, ${s.poorStreams} poor (${s.poorPercent?.toFixed(1) ?? '-'}%)${
    Object.keys(s.filters).length
      ? `, ${Object.entries(s.filters)
          .map(([d, v]) => `${d}=${v?.join(',')}`)
          .join(' ')}`
      : ''
  }\n`;
  if (a.causes.length === 0) return `${head}No cause: no group is significantly worse than the rest.\n`;
  const lines = a.causes.map((r) =>
    [
      String(r.rank).padStart(3),
      r.label,
      `\n      ${r.poorStreams} poor of ${r.classifiedStreams} classified (${r.poorPercent.toFixed(1)}% vs ${r.restPoorPercent.toFixed(1)}% elsewhere)`,
      `excess ${r.excessPoorStreams.toFixed(0)} (${r.shareOfPoorPercent.toFixed(1)}% of poor)`,
      `z ${r.z.toFixed(1)}`,
      `${r.users} users`,
      r.topReasons.length ? `\n      reasons: ${reasons(r)}` : '',
      r.explains.length
        ? `\n      explains: ${r.explains.slice(0, 5).join('; ')}${r.explains.length > 5 ? '; ...' : ''}`
        : '',
    ].join('  '),
  );
  const hidden = a.hiddenSmallGroups
    ? `\n${a.hiddenSmallGroups} cause(s) of fewer than the minimum group size left out\n`
    : '';
  return `${head}${lines.join('\n')}\n${a.causes.length} cause(s), ${a.explained.length} group(s) explained by them${hidden}\n`;
}

export function registerCausesReport(report: Command, env: NodeJS.ProcessEnv): void {
  const cmd = report
    .command('causes')
    .description(
      'where is the problem: the values (and pairs) that explain the most poor streams beyond the normal rate (audio unless --filter media-type=...)',
    )
    .option('--since <time>', 'from: 7d, 12h, 2024-05-01 or an ISO timestamp (default: all stored)')
    .option('--until <time>', 'until (exclusive), same forms as --since');
  insightOptions(cmd, '20', 'causes').action(
    async (opts: InsightOptions & { since?: string; until?: string }, command: Command) => {
      const { limit, format } = checkInsightOptions(opts);
      const clock = new SystemClock();
      const q = parseQualityQuery(
        { filters: opts.filter, since: opts.since, until: opts.until },
        clock.now(),
        opts.tz,
      );
      const opened = await openCommandService(commandConfig(command, env), 'read', clock);
      try {
        const answer = await causesReport(opened.service, cliPrincipal(opts.asViewer), {
          since: q.since,
          until: q.until,
          filters: q.filters,
          limit,
        });
        if (format === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        else if (format === 'csv') process.stdout.write(toCsv(answer.causes, columns, { eol: '\n' }));
        else process.stdout.write(table(answer));
      } finally {
        await opened.close();
      }
    },
  );
}
