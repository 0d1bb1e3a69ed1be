// The group view: the quality table of one dimension under the current filters, each row one level deeper
// (#/explore?by=subnet&building=X&...), with the breadcrumbs of the filter chain and the level's total.
import { type Dimension, dimensions, type QualityRow } from '../../../src/analytics/quality-query.ts';
import type { QualityAnswer } from '../../../src/server/api-types.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { h, notice } from '../ui/dom.ts';
import { breadcrumbs, drillCell, labelOf, poorOf, unclassifiedNote } from '../ui/drill.ts';
import { measureColumns, rowsTable } from '../ui/quality-table.ts';

const measures = 'streams,classifiedStreams,poorStreams,poorPercent,calls';
const choices: Dimension[] = dimensions.filter((d) => !['day', 'hour', 'user'].includes(d));

export const explorePage: Page = {
  title: 'Explore',
  async render(ctx) {
    const asked = ctx.query.get('by') ?? 'building';
    const by = (choices as string[]).includes(asked) ? (asked as Dimension) : 'building';
    const [rows, total] = await Promise.all([
      get<QualityAnswer>('/quality', { ...ctx.range, by, measures }),
      get<QualityAnswer>('/quality', { ...ctx.range, measures }),
    ]);
    const t: QualityRow = total.rows[0] ?? {};
    const select = h(
      'select',
      { id: 'explore-by', 'aria-label': 'Group by' },
      choices.map((d) => h('option', { value: d, selected: d === by }, labelOf(d))),
    );
    select.addEventListener('change', () => ctx.setQuery({ by: select.value }));
    ctx.show(
      breadcrumbs(ctx),
      h('h1', null, `By ${labelOf(by).toLowerCase()} `, h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      h('p', { class: 'filters' }, h('label', { for: 'explore-by' }, 'Group by'), select),
      h(
        'p',
        { 'data-level-total': String(t.streams ?? 0), 'data-level-calls': String(t.calls ?? 0) },
        `This level: ${poorOf(t)} · ${Number(t.calls ?? 0).toLocaleString('en-US')} calls`,
      ),
      rows.suppressed
        ? notice(`Groups of fewer than ${ctx.me.privacy.minGroupSize} people are shown as "other".`)
        : null,
      rowsTable({
        id: 'explore',
        caption: `${labelOf(by)} — each row opens the next level with these filters`,
        rows: rows.rows,
        columns: [
          { key: by, label: labelOf(by), render: (r) => drillCell(ctx, by, r) },
          measureColumns.streams,
          measureColumns.classifiedStreams,
          measureColumns.poorStreams,
          measureColumns.poorPercent,
          measureColumns.calls,
        ],
        csv: { path: '/quality', params: { ...ctx.range, by, measures }, filename: `quality-by-${by}.csv` },
      }),
      h('p', { class: 'muted note' }, unclassifiedNote),
    );
  },
};
