// "Where is the problem?": the causes that explain the most poor streams under the filters (GET /causes) and what
// got worse in the last 7 days against the 30 before (GET /changes), each row opening its users, calls or group.
import type {
  CauseRow,
  CausesAnswer,
  ChangeDriver,
  ChangeRow,
  ChangesAnswer,
} from '../../../src/analytics/cause-types.ts';
import type { Params } from '../api.ts';
import { get } from '../api.ts';
import type { Page, PageContext } from '../page.ts';
import { type Child, h, int, notice, num1, pct } from '../ui/dom.ts';
import { breadcrumbs, unclassifiedNote } from '../ui/drill.ts';
import { table } from '../ui/table.ts';

/** The query of a dashboard hash (`#/users?building=X`) as link parameters. */
const queryOf = (hash: string) => Object.fromEntries(new URLSearchParams(hash.split('?')[1] ?? ''));

/** Where a cause opens: its users and calls for an investigator, else its group beside the others of its kind. */
function causeLinks(ctx: PageContext, r: CauseRow): Child {
  if (ctx.me.can.individuals)
    return h(
      'span',
      { class: 'links' },
      h('a', { href: r.links.users, 'data-link': 'users' }, 'Users'),
      ' · ',
      h('a', { href: r.links.calls, 'data-link': 'calls' }, 'Calls'),
    );
  const q = queryOf(r.links.users);
  return h(
    'a',
    { href: ctx.link('explore', { ...q, by: r.dimensions[0] }), 'data-link': 'explore' },
    'Compare',
  );
}

function causesTable(ctx: PageContext, a: CausesAnswer, params: Params): HTMLElement {
  return table<CauseRow>({
    id: 'causes',
    caption: 'Causes, the most poor streams beyond the normal rate first',
    rows: a.causes,
    empty: 'No group is significantly worse than the rest under these filters.',
    columns: [
      { label: '#', value: (r) => String(r.rank), numeric: true },
      {
        label: 'Cause',
        value: (r) =>
          h(
            'span',
            { 'data-cause': r.dimensions.join('+'), 'data-values': r.values.join('+') },
            r.label,
            r.explains.length
              ? h('small', { class: 'muted block' }, `explains ${r.explains.slice(0, 3).join('; ')}`)
              : null,
          ),
      },
      { label: 'Classified', value: (r) => int(r.classifiedStreams), numeric: true },
      { label: 'Poor', value: (r) => int(r.poorStreams), numeric: true },
      { label: 'Poor %', value: (r) => pct(r.poorPercent), numeric: true },
      {
        label: 'Elsewhere',
        title: 'Poor % of the streams outside the group',
        value: (r) => pct(r.restPoorPercent),
        numeric: true,
      },
      {
        label: 'Excess',
        title: 'Poor streams beyond what the group would have had at the rate elsewhere',
        value: (r) => int(r.excessPoorStreams),
        numeric: true,
      },
      {
        label: 'Share of poor',
        value: (r) => pct(r.shareOfPoorPercent),
        numeric: true,
      },
      { label: 'z', title: 'Significance (standard errors)', value: (r) => num1(r.z), numeric: true },
      { label: 'Reasons', value: (r) => r.topReasons.map((x) => `${x.reason} ${x.poorStreams}`).join(', ') },
      { label: 'Users', value: (r) => int(r.users), numeric: true },
      { label: 'Open', value: (r) => causeLinks(ctx, r) },
    ],
    csv: { path: '/causes', params, filename: 'causes.csv' },
  });
}

const rate = (r: ChangeRow['recent']) => `${pct(r.percent)} (${int(r.events)} of ${int(r.streams)})`;

function changeSection(ctx: PageContext, c: ChangeRow): HTMLElement {
  const media = c.mediaType.length ? { 'media-type': c.mediaType.join(',') } : {};
  return h(
    'section',
    { class: 'card', 'data-change': c.metric, 'data-media': c.mediaType.join(',') },
    h('h3', null, c.label),
    h(
      'p',
      null,
      `${rate(c.recent)} in the last 7 days against ${rate(c.baseline)} before: +${num1(c.changePoints)} points, z ${num1(c.z)}`,
    ),
    c.metric === 'poor-rating-percent'
      ? h('p', { class: 'muted' }, 'Ratings belong to calls, not to a network value: no value is blamed.')
      : table<ChangeDriver>({
          id: `drivers-${c.metric}-${c.mediaType.join('+')}`,
          caption: 'What explains it, the most added first',
          rows: c.drivers,
          empty: 'No single value explains it.',
          columns: [
            { label: '#', value: (d) => String(d.rank), numeric: true },
            {
              label: 'Value',
              value: (d) =>
                h(
                  'a',
                  {
                    href: ctx.link('explore', {
                      by: d.dimensions[0],
                      ...media,
                      [d.dimensions[0]]: d.values[0],
                    }),
                    'data-driver': d.dimensions.join('+'),
                    'data-values': d.values.join('+'),
                  },
                  d.label,
                ),
            },
            { label: 'Recent', value: (d) => rate(d.recent) },
            {
              label: 'Before',
              value: (d) => (d.baselineOf === 'value' ? rate(d.baseline) : 'new (scope rate used)'),
            },
            { label: 'Added', value: (d) => int(d.impact), numeric: true },
            { label: 'Share of change', value: (d) => pct(d.shareOfChangePercent), numeric: true },
            { label: 'Users', value: (d) => int(d.users), numeric: true },
          ],
        }),
    c.explained.length
      ? h(
          'p',
          { class: 'muted note' },
          `Rose too, only through a value above: ${c.explained
            .slice(0, 8)
            .map((d) => `${d.label} (by ${d.explainedBy})`)
            .join('; ')}${c.explained.length > 8 ? '; ...' : ''}`,
        )
      : null,
  );
}

export const causesPage: Page = {
  title: 'Where is the problem?',
  async render(ctx) {
    const filters = Object.fromEntries(ctx.view.filters);
    const params: Params = { ...ctx.range, limit: '20' };
    const [causes, changes] = await Promise.all([
      get<CausesAnswer>('/causes', params),
      get<ChangesAnswer>('/changes', { ...filters, tz: ctx.period.tz }),
    ]);
    const s = causes.scope;
    ctx.show(
      breadcrumbs(ctx),
      h('h1', null, 'Where is the problem? ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      h(
        'p',
        { 'data-scope-classified': String(s.classifiedStreams), 'data-scope-poor': String(s.poorStreams) },
        `Scope: ${(s.filters['media-type'] ?? ['audio']).join(', ')} streams, ${int(s.poorStreams)} poor of ${int(s.classifiedStreams)} classified (${pct(s.poorPercent)}). `,
        'A cause is a value (or a value at certain hours) whose streams are poor more often than the rest, beyond noise; ',
        'the most specific one that accounts for a broader group is named (an access point before its building). ',
        'docs/analytics.md shows how to redo every figure by hand.',
      ),
      causes.hiddenSmallGroups
        ? notice(
            `${causes.hiddenSmallGroups} cause(s) of fewer than ${ctx.me.privacy.minGroupSize} people are not shown.`,
          )
        : null,
      causesTable(ctx, causes, params),
      causes.explained.length
        ? h(
            'details',
            null,
            h(
              'summary',
              null,
              `${causes.explained.length} group(s) worse than the rest, explained by a cause above`,
            ),
            h(
              'ul',
              null,
              causes.explained.map((r) =>
                h('li', null, `${r.label} (${pct(r.poorPercent)}): by ${r.explainedBy}`),
              ),
            ),
          )
        : null,
      h('h2', null, 'What changed'),
      h(
        'p',
        { class: 'muted' },
        'The last 7 days against the 30 before them, under the same filters; a metric is listed when it rose beyond noise (z ≥ 3) by at least a point.',
      ),
      changes.changes.length
        ? changes.changes.map((c) => changeSection(ctx, c))
        : h('p', { 'data-change': 'none' }, 'Nothing got worse beyond noise.'),
      h(
        'p',
        { class: 'muted note' },
        `Not worse: ${changes.unchanged.map((c) => `${c.label} ${pct(c.recent.percent)} (before ${pct(c.baseline.percent)})`).join(' · ')}`,
      ),
      h('p', { class: 'muted note' }, unclassifiedNote),
    );
  },
};
