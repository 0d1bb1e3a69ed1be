// Reliability: audio setup and drop failure rates against the QER targets, per day, network type, building and
// client version (failures placed on the client's network, inferred where the record has none), the reasons
// behind the failures in streams, and the declines and other outcomes that are not failures.
import type { Reliability } from '../../../src/analytics/get-reliability.ts';
import type { Dimension } from '../../../src/analytics/quality-query.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, pct, tile } from '../ui/dom.ts';
import { drillCell } from '../ui/drill.ts';
import { measureColumns, type RowColumn, rowsTable } from '../ui/quality-table.ts';
import { table } from '../ui/table.ts';

const classLabel: Record<string, string> = {
  network: 'network / media',
  client: 'client',
  service: 'service',
  other: 'other failure',
  declined: 'declined',
  cancelled: 'cancelled',
  busy: 'busy',
  noAnswer: 'no answer',
  policy: 'policy',
};

const rateColumns: RowColumn[] = [
  measureColumns.streams,
  measureColumns.setupFailedStreams,
  measureColumns.setupFailurePercent,
  measureColumns.droppedStreams,
  measureColumns.dropFailurePercent,
];

export const reliabilityPage: Page = {
  title: 'Reliability',
  async render(ctx) {
    const r = await get<Reliability & { suppressed: boolean }>('/reliability', ctx.range);
    const t = r.totals;
    const { setupFailurePercent: setupTarget, dropFailurePercent: dropTarget } = r.targets;
    const setup = (t.setupFailurePercent as number | null) ?? null;
    const drop = (t.dropFailurePercent as number | null) ?? null;
    const a = r.attribution;
    const dims: Record<string, Dimension> = {
      networkType: 'network-type',
      building: 'building',
      clientVersion: 'client-version',
    };
    const byTable = (name: string, caption: string, key: string, label: string, rows: typeof r.byDay) =>
      rowsTable({
        id: `reliability-${key}`,
        caption,
        rows,
        // Each row opens the next level on audio, as these rates count.
        columns: [
          { key, label, render: (x) => drillCell(ctx, dims[key], x, { 'media-type': 'audio' }) },
          ...rateColumns,
        ],
        csv: {
          path: '/reliability',
          params: { ...ctx.range, table: name },
          filename: `reliability-${name}.csv`,
        },
      });
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
          `target ≤ ${setupTarget.toFixed(1)}% · ${int(t.setupFailedStreams as number)} of all streams`,
          setupTarget,
        ),
        tile(
          'Drop failure',
          pct(drop),
          drop,
          `target ≤ ${dropTarget.toFixed(1)}% · ${int(t.droppedStreams as number)} of the streams set up`,
          dropTarget,
        ),
        tile(
          'Failures without a network',
          pct(a.unknownPercent),
          a.unknownPercent,
          `${int(a.unknown)} of ${int(a.failedStreams)} · ${int(a.inferred)} inferred from the user's nearest successful session within ${a.inferenceWindowHours} h`,
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
            {
              label: `Setup target ${setupTarget}%`,
              data: r.byDay.map(() => setupTarget),
              color: palette.red,
              format: pct,
              dashed: true,
            },
            {
              label: `Drop target ${dropTarget}%`,
              data: r.byDay.map(() => dropTarget),
              color: palette.amber,
              format: pct,
              dashed: true,
            },
          ],
          leftTitle: '%',
        }),
      ),
      h(
        'p',
        { class: 'muted' },
        'Setup failure % = setup-failed streams / all streams; drop failure % = dropped streams / streams set up ' +
          '(the QER guide). A failed setup counts where the client was: its own network when the record has it, ' +
          "else the network of the same user's nearest successful session (inferred), else (unknown).",
      ),
      h(
        'div',
        { class: 'grid-2' },
        byTable('byNetworkType', 'By network type (audio)', 'networkType', 'Network', r.byNetworkType),
        byTable('byBuilding', 'By building (audio)', 'building', 'Building', r.byBuilding),
        byTable(
          'byClientVersion',
          'By client version (audio)',
          'clientVersion',
          'Client version',
          r.byClientVersion,
        ),
        table({
          id: 'failure-reasons',
          caption: 'Failure reasons (failed audio streams)',
          columns: [
            { label: 'Stage', value: (x) => (x.stage === 'callSetup' ? 'setup' : 'drop') },
            { label: 'Reason', value: (x) => x.reason ?? '–' },
            { label: 'Kind', value: (x) => classLabel[x.reasonClass] ?? x.reasonClass },
            {
              label: 'Streams',
              // A reason opens its failed calls, the filters kept (investigators; viewers see the number).
              value: (x) =>
                ctx.me.can.individuals
                  ? h(
                      'a',
                      {
                        href: ctx.link('calls', {
                          failureStage: x.stage,
                          failureReason: x.reason ?? undefined,
                        }),
                        'data-drill': 'failure',
                      },
                      int(x.count),
                    )
                  : int(x.count),
              numeric: true,
            },
            { label: 'Share of stage', value: (x) => pct(x.percent), numeric: true },
          ],
          rows: r.reasons,
          csv: {
            path: '/reliability',
            params: { ...ctx.range, table: 'reasons' },
            filename: 'failure-reasons.csv',
          },
          empty: 'No failed streams in this period.',
        }),
        table({
          id: 'failure-outcomes',
          caption: 'Not failures: declined, cancelled, busy, unanswered, blocked (all media)',
          columns: [
            { label: 'Stage', value: (x) => x.stage },
            { label: 'Reason', value: (x) => x.reason ?? '–' },
            { label: 'Kind', value: (x) => classLabel[x.reasonClass] ?? x.reasonClass },
            { label: 'Sessions', value: (x) => int(x.sessions), numeric: true },
          ],
          rows: r.outcomes,
          csv: {
            path: '/reliability',
            params: { ...ctx.range, table: 'outcomes' },
            filename: 'failure-outcomes.csv',
          },
          empty: 'No declined, cancelled, busy or unanswered sessions in this period.',
        }),
      ),
    );
  },
};
