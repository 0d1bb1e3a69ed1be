// The overview: totals, calls and poor % over time, audio quality by network type, and the worst buildings,
// subnets and client versions, each a CQD-style starting point for an investigation.
import type { Overview } from '../../../src/analytics/get-overview.ts';
import type { QualityRow } from '../../../src/analytics/quality-query.ts';
import { get, type Params } from '../api.ts';
import type { Page, PageContext } from '../page.ts';
import { overviewSeries } from '../ui/buckets.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, notice, pct, tile } from '../ui/dom.ts';
import { drillCell, unclassifiedNote } from '../ui/drill.ts';
import { measureColumns, type RowColumn, rowsTable } from '../ui/quality-table.ts';

type Rows = { rows: QualityRow[]; suppressed: boolean };

const networkNames: Record<string, string> = {
  wired: 'Wired',
  wifi: 'Wi-Fi',
  mobile: 'Mobile',
  tunnel: 'Tunnel',
  unknown: 'Unknown',
};

const worstColumns = (first: RowColumn[]): RowColumn[] => [
  ...first,
  measureColumns.streams,
  measureColumns.classifiedStreams,
  measureColumns.poorStreams,
  measureColumns.poorPercent,
  measureColumns.avgJitterMs,
  measureColumns.avgPacketLoss,
  measureColumns.avgRoundTripMs,
  measureColumns.calls,
];

/** The three worst lists (also used by the locations view). */
export async function worstTables(ctx: PageContext, limit = 10): Promise<HTMLElement[]> {
  // The worst lists count audio: their links open the next level on audio too.
  const audio = { 'media-type': 'audio' };
  const params: Params = { ...ctx.range, limit };
  const [buildings, subnets, versions] = await Promise.all([
    get<Rows>('/worst/buildings', params),
    get<Rows>('/worst/subnets', params),
    get<Rows>('/worst/client-versions', params),
  ]);
  return [
    rowsTable({
      id: 'worst-buildings',
      caption: 'Worst buildings (audio)',
      rows: buildings.rows,
      columns: worstColumns([
        { key: 'building', label: 'Building', render: (r) => drillCell(ctx, 'building', r, audio) },
        { key: 'city', label: 'City' },
      ]),
      csv: { path: '/worst/buildings', params, filename: 'worst-buildings.csv' },
      empty: 'No building has enough audio streams in this period (import a building file to map subnets).',
    }),
    rowsTable({
      id: 'worst-subnets',
      caption: 'Worst subnets (audio)',
      rows: subnets.rows,
      columns: worstColumns([
        { key: 'subnet', label: 'Subnet', render: (r) => drillCell(ctx, 'subnet', r, audio) },
        {
          key: 'building',
          label: 'Building',
          render: (r) =>
            r.building ? drillCell(ctx, 'building', r, audio) : h('span', { class: 'muted' }, 'no building'),
        },
      ]),
      csv: { path: '/worst/subnets', params, filename: 'worst-subnets.csv' },
    }),
    rowsTable({
      id: 'worst-client-versions',
      caption: 'Worst client versions (audio)',
      rows: versions.rows,
      columns: worstColumns([
        {
          key: 'clientVersion',
          label: 'Client version',
          render: (r) => drillCell(ctx, 'client-version', r, audio),
        },
        { key: 'productFamily', label: 'Product' },
      ]),
      csv: { path: '/worst/client-versions', params, filename: 'worst-client-versions.csv' },
    }),
  ];
}

export const overviewPage: Page = {
  title: 'Overview',
  async render(ctx) {
    const [o, worst] = await Promise.all([
      get<Overview & { suppressed: boolean }>('/overview', ctx.range),
      worstTables(ctx),
    ]);
    const t = o.totals;
    // Buckets of the chosen granularity in the chosen zone (UTC days straight from the overview).
    const series = await overviewSeries(ctx, o.byDay);
    const days = series.map((x) => x.label);
    const byBucket = series.map((x) => x.row);
    const per = ctx.view.granularity;
    const nets = o.byNetworkType.filter((r) => r.networkType !== null);
    ctx.show(
      h('h1', null, 'Overview ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      o.suppressed
        ? notice(`Groups of fewer than ${ctx.me.privacy.minGroupSize} people are shown as "other".`)
        : null,
      t.calls === 0
        ? notice(
            'No calls in this period. Pick a longer period above, or check that the collector is running.',
          )
        : null,
      h(
        'div',
        { class: 'tiles' },
        tile('Calls', int(t.calls), t.calls),
        tile('Minutes', int(t.minutes), Math.round(t.minutes)),
        tile('Streams', int(t.streams), t.streams, `${int(t.classifiedStreams)} classified`),
        tile(
          'Poor streams',
          pct(t.poorPercent),
          t.poorPercent,
          `${int(t.poorStreams)} poor of ${int(t.classifiedStreams)} classified (${int(t.streams)} streams)`,
        ),
        tile('Audio poor', pct(t.audioPoorPercent), t.audioPoorPercent, 'QER target ≤ 3.0%', 3),
      ),
      h(
        'div',
        { class: 'grid-2' },
        card(
          `Calls and poor streams per ${per}`,
          chart({
            id: 'per-day',
            title: `Calls per ${per}, poor stream % (all media and audio) · ${ctx.view.tz}`,
            labels: days,
            series: [
              {
                label: 'Calls',
                data: byBucket.map((d) => (d.calls as number) ?? null),
                kind: 'bar',
                color: palette.grey,
                format: (v) => int(v),
              },
              {
                label: 'Poor %',
                data: byBucket.map((d) => (d.poorPercent as number) ?? null),
                axis: 'right',
                color: palette.red,
                format: pct,
              },
              {
                label: 'Audio poor %',
                data: byBucket.map((d) => (d.audioPoorPercent as number) ?? null),
                axis: 'right',
                color: palette.amber,
                format: pct,
              },
            ],
            leftTitle: 'calls',
            rightTitle: 'poor %',
          }),
        ),
        card(
          'Audio by network type',
          chart({
            id: 'by-network',
            title: 'Audio poor stream % by network type',
            kind: 'bar',
            labels: nets.map((r) => networkNames[String(r.networkType)] ?? String(r.networkType)),
            // A network type opens its buildings, on audio as this chart counts.
            links: nets.map((r) =>
              ctx.link('explore', {
                by: 'building',
                'media-type': 'audio',
                'network-type': String(r.networkType),
              }),
            ),
            series: [
              {
                label: 'Poor %',
                data: nets.map((r) => (r.poorPercent as number) ?? null),
                color: palette.red,
                format: pct,
              },
              {
                label: 'Streams',
                data: nets.map((r) => (r.streams as number) ?? null),
                kind: 'bar',
                axis: 'right',
                color: palette.grey,
                format: (v) => int(v),
              },
            ],
            leftTitle: 'poor %',
            rightTitle: 'streams',
          }),
        ),
      ),
      card(
        `Minutes per ${per}`,
        chart({
          id: 'minutes',
          title: `Call minutes per ${per}`,
          kind: 'bar',
          labels: days,
          series: [
            {
              label: 'Minutes',
              data: byBucket.map((d) => (d.minutes as number) ?? null),
              color: palette.blue,
              format: (v) => int(v),
            },
          ],
          height: 160,
        }),
      ),
      h(
        'p',
        null,
        h(
          'a',
          { href: ctx.link('explore', { by: 'building' }), 'data-explore': 'building' },
          'Explore by building →',
        ),
        ' ',
        h(
          'span',
          { class: 'muted' },
          'every row opens the next level (subnet, access point, users, calls) with these filters',
        ),
      ),
      h('div', { class: 'stack' }, worst),
      h('p', { class: 'muted note' }, unclassifiedNote),
    );
  },
};
