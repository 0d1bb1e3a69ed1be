// Reliability: audio setup and drop failure rates against the QER targets, per day and per network type,
// and the commonest failure reasons.
import type { Reliability } from '../../../src/analytics/get-reliability.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, pct, tile } from '../ui/dom.ts';
import { measureColumns, rowsTable } from '../ui/quality-table.ts';
import { table } from '../ui/table.ts';

/** QER "overall" targets (shared/cqd-quality-rules.md). */
const setupTarget = 1;
const dropTarget = 3;

export const reliabilityPage: Page = {
  title: 'Reliability',
  async render(ctx) {
    const r = await get<Reliability & { suppressed: boolean }>('/reliability', ctx.range);
    const t = r.totals;
    const setup = (t.setupFailurePercent as number | null) ?? null;
    const drop = (t.dropFailurePercent as number | null) ?? null;
    ctx.show(
      h('h1', null, 'Reliability ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel} · audio streams`)),
      h(
        'div',
        { class: 'tiles' },
        tile('Audio streams', int(t.streams as number), (t.streams as number) ?? 0),
        tile(
          'Setup failure',
          pct(setup),
          setup,
          `target ≤ ${setupTarget.toFixed(1)}% · ${int(t.setupFailedStreams as number)} streams`,
          setupTarget,
        ),
        tile(
          'Drop failure',
          pct(drop),
          drop,
          `target ≤ ${dropTarget.toFixed(1)}% · ${int(t.droppedStreams as number)} streams`,
          dropTarget,
        ),
      ),
      card(
        'Failure rates per day',
        chart({
          id: 'failures-per-day',
          title: 'Setup and drop failure % per day (audio)',
          labels: r.byDay.map((d) => String(d.day)),
          series: [
            {
              label: 'Setup failure %',
              data: r.byDay.map((d) => (d.setupFailurePercent as number) ?? null),
              color: palette.red,
              format: pct,
            },
            {
              label: 'Drop failure %',
              data: r.byDay.map((d) => (d.dropFailurePercent as number) ?? null),
              color: palette.amber,
              format: pct,
            },
            { label: 'Setup target', data: r.byDay.map(() => setupTarget), color: palette.grey, format: pct },
          ],
          leftTitle: '%',
        }),
      ),
      h(
        'div',
        { class: 'grid-2' },
        rowsTable({
          id: 'reliability-network',
          caption: 'By network type (audio)',
          rows: r.byNetworkType,
          columns: [
            { key: 'networkType', label: 'Network' },
            measureColumns.streams,
            measureColumns.setupFailedStreams,
            measureColumns.setupFailurePercent,
            measureColumns.droppedStreams,
            measureColumns.dropFailurePercent,
          ],
          csv: {
            path: '/reliability',
            params: { ...ctx.range, table: 'byNetworkType' },
            filename: 'reliability-by-network.csv',
          },
        }),
        table({
          id: 'failure-reasons',
          caption: 'Commonest failure reasons',
          columns: [
            { label: 'Stage', value: (x) => x.stage },
            { label: 'Reason', value: (x) => x.reason ?? '–' },
            { label: 'Segments', value: (x) => int(x.count), numeric: true },
          ],
          rows: r.reasons,
          csv: {
            path: '/reliability',
            params: { ...ctx.range, table: 'reasons' },
            filename: 'failure-reasons.csv',
          },
          empty: 'No failed sessions or segments in this period.',
        }),
      ),
    );
  },
};
