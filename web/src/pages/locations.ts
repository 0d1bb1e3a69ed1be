// Locations: audio quality per building and network, CQD's missing-subnet report, and the imported building map.
import type { QualityRow } from '../../../src/analytics/quality-query.ts';
import type { QualityAnswer } from '../../../src/server/api-types.ts';
import { get, type Params } from '../api.ts';
import type { Page } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, notice, pct } from '../ui/dom.ts';
import { drillCell, unclassifiedNote } from '../ui/drill.ts';
import { measureColumns, rowsTable } from '../ui/quality-table.ts';
import { table } from '../ui/table.ts';

interface BuildingRow {
  networkIp: string;
  networkRange: number;
  networkName: string;
  buildingName: string;
  city: string;
  country: string;
  insideCorp: boolean;
  vpn: boolean;
}

const bands: Record<string, string> = {
  frequency24GHz: '2.4 GHz',
  frequency50GHz: '5 GHz',
  frequency60GHz: '6 GHz',
};
const bandName = (v: unknown) => (typeof v === 'string' && v !== '' ? (bands[v] ?? v) : '–');

/** A large organization's building file has thousands of rows: the page shows the start, the CSV all of it. */
const mapRows = 200;

const byBuildingMeasures =
  'streams,classifiedStreams,poorStreams,poorPercent,avgJitterMs,avgPacketLoss,avgRoundTripMs,calls';

const kindLabels: Record<string, string> = {
  carrierNat: 'carrier-grade NAT (100.64.0.0/10: mobile carriers)',
  home: "home network (a private range on an ISP's DNS suffix)",
  other: 'not shown inside the corporate network (no shared egress or DNS suffix)',
};
const insideByLabels: Record<string, string> = {
  egress: 'egress',
  dnsSuffix: 'DNS suffix',
  'egress+dnsSuffix': 'egress and DNS suffix',
};

/** CQD's report (corporate gaps, with the building they most likely belong to) and, apart, the rest. */
function missingSubnets(rows: QualityRow[], params: Params): HTMLElement {
  const corporate = rows.filter((r) => r.kind === 'corporate');
  const apart = rows.filter((r) => r.kind !== 'corporate');
  return h(
    'div',
    { class: 'missing-subnets' },
    rowsTable({
      id: 'missing-subnets',
      caption:
        "Missing subnets (CQD): 10 or more audio streams from this tenant's users, inside the corporate network by egress or DNS suffix, and no building covers them — add them to the building file",
      rows: corporate,
      columns: [
        { key: 'subnet', label: 'Subnet' },
        { key: 'suggestedBuilding', label: 'Suggested building', format: 'text' },
        {
          key: 'insideBy',
          label: 'Inside by',
          render: (r) => insideByLabels[String(r.insideBy)] ?? '–',
          title: 'What it shares with the mapped inside-corp subnets',
        },
        { key: 'dnsSuffix', label: 'DNS suffix', format: 'text' },
        measureColumns.streams,
        measureColumns.classifiedStreams,
        measureColumns.poorPercent,
      ],
      csv: { path: '/missing-subnets', params, filename: 'missing-subnets.csv' },
      empty: 'No corporate subnet with 10 or more audio streams is missing from the building file.',
    }),
    apart.length
      ? h(
          'details',
          { class: 'set-apart', 'data-set-apart': String(apart.length) },
          h(
            'summary',
            null,
            `${apart.length} unmapped subnets set apart (mobile carriers, home networks, other)`,
          ),
          rowsTable({
            id: 'missing-subnets-apart',
            caption: 'Unmapped subnets that are not corporate gaps',
            rows: apart,
            columns: [
              { key: 'subnet', label: 'Subnet' },
              { key: 'kind', label: 'Kind', render: (r) => kindLabels[String(r.kind)] ?? String(r.kind) },
              { key: 'dnsSuffix', label: 'DNS suffix', format: 'text' },
              measureColumns.streams,
              measureColumns.poorPercent,
            ],
          }),
        )
      : null,
  );
}

export const locationsPage: Page = {
  title: 'Locations',
  async render(ctx) {
    const quality: Params = {
      ...ctx.range,
      by: 'building,city,country',
      'media-type': 'audio',
      measures: byBuildingMeasures,
      orderBy: '-poorPercent',
    };
    const bands: Params = {
      ...ctx.range,
      by: 'network-type,wifi-band',
      'media-type': 'audio',
      measures: 'streams,poorPercent,avgJitterMs',
      orderBy: '-streams',
    };
    const missingParams: Params = { ...ctx.range };
    // These tables count audio: their rows open the next level on audio.
    const audio = { 'media-type': 'audio' };
    const [byBuilding, byBand, missing, map] = await Promise.all([
      get<QualityAnswer>('/quality', quality),
      get<QualityAnswer>('/quality', bands),
      get<{ rows: QualityRow[] }>('/missing-subnets', missingParams),
      get<{ buildings: BuildingRow[] }>('/buildings'),
    ]);
    const known = byBuilding.rows.filter((r) => r.building !== null);
    ctx.show(
      h('h1', null, 'Locations ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      map.buildings.length === 0
        ? notice(
            'No building file imported: every subnet is unknown. Import one with `calltrove buildings import <file.csv>` (CQD layout).',
          )
        : null,
      h(
        'div',
        { class: 'grid-2' },
        card(
          'Audio poor % by building',
          chart({
            id: 'by-building',
            title: 'Audio poor stream % by building',
            kind: 'bar',
            horizontal: true,
            labels: known.map((r) => String(r.building)),
            series: [
              {
                label: 'Poor %',
                data: known.map((r) => (r.poorPercent as number) ?? null),
                color: palette.red,
                format: pct,
              },
            ],
            height: Math.max(160, 28 * known.length + 60),
          }),
        ),
        card(
          'Audio by network and Wi-Fi band',
          rowsTable({
            id: 'by-band',
            caption: 'Audio streams by network type and Wi-Fi band',
            rows: byBand.rows,
            columns: [
              {
                key: 'networkType',
                label: 'Network',
                render: (r) => drillCell(ctx, 'network-type', r, audio),
              },
              {
                key: 'wifiBand',
                label: 'Wi-Fi band',
                render: (r) => bandName(r.wifiBand),
              },
              measureColumns.streams,
              measureColumns.poorPercent,
              measureColumns.avgJitterMs,
            ],
            csv: { path: '/quality', params: bands, filename: 'quality-by-network.csv' },
          }),
        ),
      ),
      rowsTable({
        id: 'buildings-quality',
        caption: 'Audio quality by building (unknown: subnets no building covers)',
        rows: byBuilding.rows,
        columns: [
          { key: 'building', label: 'Building', render: (r) => drillCell(ctx, 'building', r, audio) },
          { key: 'city', label: 'City' },
          { key: 'country', label: 'Country' },
          measureColumns.streams,
          measureColumns.classifiedStreams,
          measureColumns.poorStreams,
          measureColumns.poorPercent,
          measureColumns.avgJitterMs,
          measureColumns.avgPacketLoss,
          measureColumns.avgRoundTripMs,
          measureColumns.calls,
        ],
        csv: { path: '/quality', params: quality, filename: 'quality-by-building.csv' },
      }),
      h('p', { class: 'muted note' }, unclassifiedNote),
      missingSubnets(missing.rows, missingParams),
      table<BuildingRow>({
        id: 'building-map',
        caption:
          map.buildings.length > mapRows
            ? `Building map (first ${int(mapRows)} of ${int(map.buildings.length)} networks; the export has all)`
            : `Building map (${int(map.buildings.length)} networks)`,
        columns: [
          { label: 'Network', value: (b) => `${b.networkIp}/${b.networkRange}` },
          { label: 'Name', value: (b) => b.networkName },
          { label: 'Building', value: (b) => b.buildingName },
          { label: 'City', value: (b) => b.city },
          { label: 'Country', value: (b) => b.country },
          { label: 'Inside corp', value: (b) => (b.insideCorp ? 'yes' : 'no') },
          { label: 'VPN', value: (b) => (b.vpn ? 'yes' : 'no') },
        ],
        rows: map.buildings.slice(0, mapRows),
        csv: { path: '/buildings', params: {}, filename: 'buildings.csv' },
        empty: 'No building file imported.',
      }),
    );
  },
};
