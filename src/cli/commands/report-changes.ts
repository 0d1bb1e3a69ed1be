// `calltrove report changes`: what got worse in a recent window (default the last 7 days) than in the baseline before
// it (default the 30 days before), beyond noise, with the values that explain each change (docs/analytics.md).
import type { Command } from 'commander';
import type { ChangeRow, ChangesAnswer } from '../../analytics/cause-types.ts';
import { parseQualityQuery, resolveChangeWindows } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { toCsv } from '../../format/csv.ts';
import { changeColumns, changeDriverRows } from '../../service/change-columns.ts';
import { changesReport } from '../../service/changes.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import { checkInsightOptions, type InsightOptions, insightOptions } from './insight-options.ts';

const rate = (r: ChangeRow['recent']) =>
  `${r.percent === null ? '-' : r.percent.toFixed(2)}% (${r.events} of ${r.streams})`;

const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

function table(a: ChangesAnswer): string {
  const head = `Recent ${day(a.recent.since)} to ${day(a.recent.until)} UTC against ${day(a.baseline.since)} to ${day(a.baseline.until)}\n`;
  const worse = a.changes.map((c) =>
    [
      `${c.label}: ${rate(c.recent)} vs ${rate(c.baseline)}, +${c.changePoints.toFixed(2)} points, z ${c.z.toFixed(1)}`,
      ...(c.drivers.length
        ? c.drivers.map(
            (d) =>
              `  ${String(d.rank).padStart(2)}  ${d.label}: ${rate(d.recent)} vs ${d.baselineOf === 'value' ? rate(d.baseline) : 'new (against the scope)'}, ${d.impact.toFixed(0)} more (${d.shareOfChangePercent.toFixed(0)}% of the change), ${d.users} users`,
          )
        : [
            c.metric === 'poor-rating-percent'
              ? '  (ratings are not attributed to values)'
              : '  no single value explains it',
          ]),
      ...(c.explained.length
        ? [
            `  rose only through the above: ${c.explained.map((d) => `${d.label} (by ${d.explainedBy})`).join('; ')}`,
          ]
        : []),
    ].join('\n'),
  );
  const same = a.unchanged.map(
    (c) => `${c.label}: ${rate(c.recent)} vs ${rate(c.baseline)}, not worse beyond noise`,
  );
  const hidden = a.hiddenSmallGroups
    ? `${a.hiddenSmallGroups} value(s) of fewer than the minimum group size left out\n`
    : '';
  return `${head}${worse.length ? `${worse.join('\n')}\n` : 'Nothing got worse beyond noise.\n'}${same.join('\n')}\n${hidden}`;
}

export function registerChangesReport(report: Command, env: NodeJS.ProcessEnv): void {
  const cmd = report
    .command('changes')
    .description(
      'what changed: poor %, setup and drop failures and ratings worse than the baseline beyond noise, with what explains it',
    )
    .option('--since <time>', 'the recent window: 7d, 12h, 2024-05-01 or an ISO timestamp', '7d')
    .option('--until <time>', 'end of the recent window (exclusive; default now)')
    .option(
      '--baseline <length|time>',
      'the baseline before --since: a length (30d, 4w) or the date it starts',
      '30d',
    );
  insightOptions(cmd, '10', 'explaining values').action(
    async (opts: InsightOptions & { since: string; until?: string; baseline: string }, command: Command) => {
      const { limit, format } = checkInsightOptions(opts);
      const clock = new SystemClock();
      const w = resolveChangeWindows(opts, clock.now());
      const { filters } = parseQualityQuery({ filters: opts.filter }, clock.now(), opts.tz);
      const opened = await openCommandService(commandConfig(command, env), 'read', clock);
      try {
        const answer = await changesReport(opened.service, cliPrincipal(opts.asViewer), {
          ...w,
          filters,
          limit,
        });
        if (format === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        else if (format === 'csv')
          process.stdout.write(toCsv(changeDriverRows(answer), changeColumns, { eol: '\n' }));
        else process.stdout.write(table(answer));
      } finally {
        await opened.close();
      }
    },
  );
}
