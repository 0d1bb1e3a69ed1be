// PSTN and Direct Routing: usage of Calling Plan / Operator Connect numbers, and Direct Routing calls and failures
// by trunk and final SIP code.
import type { PstnSummary } from '../../../src/analytics/get-pstn-summary.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, notice, pct, tile } from '../ui/dom.ts';
import { table } from '../ui/table.ts';

export const pstnPage: Page = {
  title: 'PSTN',
  async render(ctx) {
    const s = await get<PstnSummary>('/pstn', ctx.range);
    const p = s.pstn;
    const dr = s.directRouting;
    const csv = (t: string) => ({ path: '/pstn', params: { ...ctx.range, table: t }, filename: `${t}.csv` });
    ctx.show(
      h('h1', null, 'PSTN and Direct Routing ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      p.calls === 0 && dr.calls === 0
        ? notice(
            'No PSTN or Direct Routing call logs in this period (the collector fetches them with getPstnCalls and getDirectRoutingCalls).',
          )
        : null,
      h(
        'div',
        { class: 'tiles' },
        tile('PSTN calls', int(p.calls), p.calls),
        tile('PSTN minutes', int(p.minutes), Math.round(p.minutes)),
        tile('Charges', p.charges.map((c) => `${c.amount.toFixed(2)} ${c.currency}`).join(', ') || '–', null),
        tile('Direct Routing calls', int(dr.calls), dr.calls),
        tile('DR failures', pct(dr.failurePercent), dr.failurePercent, `${int(dr.failed)} failed`),
      ),
      h(
        'div',
        { class: 'grid-2' },
        card(
          'PSTN usage per day',
          chart({
            id: 'pstn-per-day',
            title: 'PSTN calls and minutes per day',
            labels: p.byDay.map((d) => d.day),
            series: [
              {
                label: 'Calls',
                data: p.byDay.map((d) => d.calls),
                kind: 'bar',
                color: palette.blue,
                format: (v) => int(v),
              },
              {
                label: 'Minutes',
                data: p.byDay.map((d) => d.minutes),
                axis: 'right',
                color: palette.teal,
                format: (v) => int(v),
              },
            ],
          }),
        ),
        card(
          'Direct Routing per day',
          chart({
            id: 'dr-per-day',
            title: 'Direct Routing calls and failed calls per day',
            kind: 'bar',
            stacked: false,
            labels: dr.byDay.map((d) => d.day),
            series: [
              {
                label: 'Calls',
                data: dr.byDay.map((d) => d.calls),
                color: palette.blue,
                format: (v) => int(v),
              },
              {
                label: 'Failed',
                data: dr.byDay.map((d) => d.failed),
                color: palette.red,
                format: (v) => int(v),
              },
            ],
          }),
        ),
      ),
      h(
        'div',
        { class: 'grid-2' },
        table({
          id: 'pstn-types',
          caption: 'PSTN calls by call type',
          columns: [
            { label: 'Call type', value: (r) => r.callType || '(unknown)' },
            { label: 'Calls', value: (r) => int(r.calls), numeric: true },
            { label: 'Minutes', value: (r) => int(r.minutes), numeric: true },
          ],
          rows: p.byCallType,
          csv: csv('pstnByCallType'),
        }),
        table({
          id: 'dr-trunks',
          caption: 'Direct Routing by trunk',
          columns: [
            { label: 'Trunk (SBC)', value: (r) => r.trunk || '(unknown)' },
            { label: 'Calls', value: (r) => int(r.calls), numeric: true },
            { label: 'Failed', value: (r) => int(r.failed), numeric: true },
            { label: 'Failure %', value: (r) => pct(r.failurePercent), numeric: true },
          ],
          rows: dr.byTrunk,
          rowClass: (r) => ((r.failurePercent ?? 0) > 5 ? 'poor' : undefined),
          csv: csv('directRoutingByTrunk'),
        }),
      ),
      table({
        id: 'dr-failures',
        caption: 'Direct Routing failures by final SIP code',
        columns: [
          { label: 'SIP code', value: (r) => (r.sipCode === null ? '–' : String(r.sipCode)) },
          { label: 'Phrase', value: (r) => r.phrase ?? '–' },
          { label: 'Calls', value: (r) => int(r.count), numeric: true },
        ],
        rows: dr.failures,
        csv: csv('directRoutingFailures'),
        empty: 'No failed Direct Routing calls in this period.',
      }),
    );
  },
};
