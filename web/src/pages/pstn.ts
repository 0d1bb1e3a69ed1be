// PSTN and Direct Routing: Calling Plan / Operator Connect usage, and Direct Routing health per SBC and day (NER,
// ASR, average duration, the final SIP codes behind unanswered calls, media path); for investigators the calls
// one by one (the PSTN usage report).
import type { DirectRoutingHealth, SbcHealth } from '../../../src/analytics/get-direct-routing-health.ts';
import type { PstnSummary } from '../../../src/analytics/get-pstn-summary.ts';
import type {
  DirectRoutingCallRow,
  PstnCallList,
  PstnCallRow,
} from '../../../src/analytics/list-pstn-calls.ts';
import { get } from '../api.ts';
import type { Page, PageContext } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, duration, h, int, notice, num1, pct, tile, when } from '../ui/dom.ts';
import { periodOnlyNotice } from '../ui/drill.ts';
import { table } from '../ui/table.ts';

const endingLabel: Record<string, string> = {
  answered: 'answered',
  busy: 'busy (user outcome)',
  noAnswer: 'no answer (user outcome)',
  cancelled: 'caller hung up (user outcome)',
  declined: 'declined (user outcome)',
  failure: 'failure',
};
const pageSize = 50;

const seconds = (v: number | null) => (v === null ? '–' : duration(v * 1000));

/** The days' totals over every SBC (the per-SBC rows summed). */
function byDay(
  dr: DirectRoutingHealth,
): { day: string; calls: number; answered: number; effective: number }[] {
  const days = new Map<string, { day: string; calls: number; answered: number; effective: number }>();
  for (const r of dr.bySbcDay) {
    const d = days.get(r.day) ?? { day: r.day, calls: 0, answered: 0, effective: 0 };
    d.calls += r.calls;
    d.answered += r.answered;
    d.effective += r.effective;
    days.set(r.day, d);
  }
  return [...days.values()];
}

const healthColumns = <T extends SbcHealth>() => [
  { label: 'Attempts', value: (r: T) => int(r.calls), numeric: true },
  { label: 'Answered', value: (r: T) => int(r.answered), numeric: true },
  {
    label: 'NER',
    value: (r: T) => pct(r.nerPercent),
    numeric: true,
    title: 'Network effectiveness ratio: answered, busy, unanswered, declined or caller-cancelled / attempts',
  },
  {
    label: 'ASR',
    value: (r: T) => pct(r.asrPercent),
    numeric: true,
    title: 'Answer-seizure ratio: answered / attempts',
  },
  {
    label: 'Failed',
    value: (r: T) => int(r.failed),
    numeric: true,
    title: 'Attempts neither answered nor effective',
  },
  { label: 'Avg duration', value: (r: T) => seconds(r.averageDurationSeconds), numeric: true },
  { label: 'Media bypass', value: (r: T) => pct(r.mediaBypassPercent), numeric: true },
];

async function callLists(ctx: PageContext): Promise<HTMLElement[]> {
  const user = ctx.query.get('user') ?? undefined;
  const pOffset = Number(ctx.query.get('pstnOffset') ?? 0) || 0;
  const dOffset = Number(ctx.query.get('drOffset') ?? 0) || 0;
  const params = { ...ctx.period, user };
  const [pstn, dr] = await Promise.all([
    get<PstnCallList<PstnCallRow>>('/pstn/calls', { ...params, limit: pageSize, offset: pOffset }),
    get<PstnCallList<DirectRoutingCallRow>>('/direct-routing/calls', {
      ...params,
      limit: pageSize,
      offset: dOffset,
    }),
  ]);
  const who = (r: {
    userDisplayName: string | null;
    userPrincipalName: string | null;
    userId: string | null;
  }) =>
    r.userId
      ? h(
          'a',
          { href: ctx.link(`users/${encodeURIComponent(r.userId)}`) },
          r.userDisplayName ?? r.userPrincipalName ?? r.userId,
        )
      : (r.userDisplayName ?? '–');
  const search = h('input', {
    id: 'pstn-user',
    type: 'search',
    value: user ?? '',
    placeholder: 'object id or UPN',
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'PSTN calls of one user' },
    h('label', { for: 'pstn-user' }, 'User'),
    search,
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.setQuery({ user: search.value.trim() || undefined, pstnOffset: undefined, drOffset: undefined });
  });
  return [
    h('h2', null, 'PSTN usage, call by call'),
    form,
    table<PstnCallRow>({
      id: 'pstn-calls',
      caption: 'Calling Plan and Operator Connect calls',
      columns: [
        { label: 'Start (UTC)', value: (r) => when(r.startDateTime) },
        { label: 'User', value: who },
        { label: 'Call type', value: (r) => r.callType ?? '–' },
        { label: 'Number type', value: (r) => r.numberType ?? '–' },
        { label: 'From', value: (r) => r.callerNumber ?? '–' },
        { label: 'To', value: (r) => r.calleeNumber ?? '–' },
        { label: 'Destination', value: (r) => r.destinationName ?? '–' },
        { label: 'Duration', value: (r) => seconds(r.durationSeconds), numeric: true },
        {
          label: 'Charge',
          value: (r) => (r.charge === null ? '–' : `${num1(r.charge)} ${r.currency ?? ''}`.trim()),
          numeric: true,
        },
      ],
      rows: pstn.calls,
      csv: { path: '/pstn/calls', params: { ...params, limit: 10_000 }, filename: 'pstn-calls.csv' },
      pager: {
        total: pstn.total,
        offset: pOffset,
        limit: pageSize,
        onPage: (o) => ctx.setQuery({ pstnOffset: o ? String(o) : undefined }),
      },
      empty: 'No Calling Plan or Operator Connect calls in this period.',
    }),
    table<DirectRoutingCallRow>({
      id: 'dr-calls',
      caption: 'Direct Routing calls',
      columns: [
        { label: 'Start (UTC)', value: (r) => when(r.startDateTime) },
        { label: 'User', value: who },
        { label: 'Call type', value: (r) => r.callType ?? '–' },
        { label: 'SBC', value: (r) => r.trunk ?? '–' },
        { label: 'From', value: (r) => r.callerNumber ?? '–' },
        { label: 'To', value: (r) => r.calleeNumber ?? '–' },
        { label: 'Final SIP', value: (r) => `${r.finalSipCode ?? '–'} ${r.finalSipCodePhrase ?? ''}`.trim() },
        { label: 'Outcome', value: (r) => endingLabel[r.outcome] ?? r.outcome },
        { label: 'Duration', value: (r) => seconds(r.durationSeconds), numeric: true },
      ],
      rows: dr.calls,
      rowClass: (r) => (r.outcome === 'failure' ? 'poor' : undefined),
      csv: {
        path: '/direct-routing/calls',
        params: { ...params, limit: 10_000 },
        filename: 'direct-routing-calls.csv',
      },
      pager: {
        total: dr.total,
        offset: dOffset,
        limit: pageSize,
        onPage: (o) => ctx.setQuery({ drOffset: o ? String(o) : undefined }),
      },
      empty: 'No Direct Routing calls in this period.',
    }),
  ];
}

export const pstnPage: Page = {
  title: 'PSTN',
  async render(ctx) {
    const s = await get<PstnSummary>('/pstn', ctx.period);
    const p = s.pstn;
    const dr = s.directRouting;
    const t = dr.totals;
    const days = byDay(dr);
    const csv = (name: string) => ({
      path: '/pstn',
      params: { ...ctx.period, table: name },
      filename: `${name}.csv`,
    });
    ctx.show(
      h('h1', null, 'PSTN and Direct Routing ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      periodOnlyNotice(ctx, 'PSTN and Direct Routing logs'),
      p.calls === 0 && t.calls === 0
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
        tile('Direct Routing attempts', int(t.calls), t.calls, `${int(t.answered)} answered`),
        tile('NER', pct(t.nerPercent), t.nerPercent, `${int(t.failed)} attempts failed in the network`),
        tile('ASR', pct(t.asrPercent), t.asrPercent, 'answered / attempts'),
        tile('Avg duration', seconds(t.averageDurationSeconds), t.averageDurationSeconds, 'answered calls'),
      ),
      h(
        'p',
        { class: 'muted' },
        'NER (network effectiveness ratio, ITU-T E.411) counts an attempt as effective when it was answered or ended ' +
          'in a user’s choice: 486/600 busy, 480 no answer, 487 the caller hung up, 603 declined. ASR (answer-seizure ' +
          'ratio) counts answered calls only. A low NER points at the SBC, the trunk or the carrier; a low ASR with a ' +
          'good NER at the people called.',
      ),
      h(
        'div',
        { class: 'grid-2' },
        card(
          'Direct Routing NER and ASR per day',
          chart({
            id: 'dr-per-day',
            title: 'Direct Routing NER and ASR per day (all SBCs)',
            labels: days.map((d) => d.day),
            series: [
              {
                label: 'NER %',
                data: days.map((d) => (d.calls ? (d.effective / d.calls) * 100 : null)),
                color: palette.blue,
                format: pct,
              },
              {
                label: 'ASR %',
                data: days.map((d) => (d.calls ? (d.answered / d.calls) * 100 : null)),
                color: palette.teal,
                format: pct,
              },
              {
                label: 'Attempts',
                data: days.map((d) => d.calls),
                kind: 'bar',
                axis: 'right',
                color: palette.grey,
                format: (v) => int(v),
              },
            ],
            leftTitle: '%',
            rightTitle: 'attempts',
          }),
        ),
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
      ),
      table({
        id: 'dr-sbcs',
        caption: 'Direct Routing health by SBC',
        columns: [
          { label: 'SBC (trunk FQDN)', value: (r) => r.trunk || '(unknown)' },
          ...healthColumns<DirectRoutingHealth['bySbc'][number]>(),
        ],
        rows: dr.bySbc,
        rowClass: (r) => ((r.nerPercent ?? 100) < 95 ? 'poor' : undefined),
        csv: csv('directRoutingBySbc'),
        empty: 'No Direct Routing calls in this period.',
      }),
      table({
        id: 'dr-sbc-days',
        caption: 'Direct Routing health by SBC and day',
        columns: [
          { label: 'Day', value: (r) => r.day },
          { label: 'SBC', value: (r) => r.trunk || '(unknown)' },
          ...healthColumns<DirectRoutingHealth['bySbcDay'][number]>(),
        ],
        rows: dr.bySbcDay,
        rowClass: (r) => ((r.nerPercent ?? 100) < 95 ? 'poor' : undefined),
        csv: csv('directRoutingBySbcDay'),
        empty: 'No Direct Routing calls in this period.',
      }),
      h(
        'div',
        { class: 'grid-2' },
        table({
          id: 'dr-endings',
          caption: 'Unanswered Direct Routing calls by final SIP code and sub-reason',
          columns: [
            { label: 'SBC', value: (r) => r.trunk || '(unknown)' },
            { label: 'SIP', value: (r) => `${r.sipCode ?? '–'} ${r.phrase ?? ''}`.trim() },
            { label: 'Sub-reason', value: (r) => (r.subReason === null ? '–' : String(r.subReason)) },
            { label: 'Counts as', value: (r) => endingLabel[r.kind] ?? r.kind },
            { label: 'Calls', value: (r) => int(r.calls), numeric: true },
          ],
          rows: dr.endings,
          rowClass: (r) => (r.effective ? undefined : 'poor'),
          csv: csv('directRoutingEndings'),
          empty: 'Every Direct Routing call in this period was answered.',
        }),
        table({
          id: 'dr-locations',
          caption: 'Media path and signalling locations',
          columns: [
            { label: 'SBC', value: (r) => r.trunk || '(unknown)' },
            { label: 'Media path', value: (r) => r.mediaPathLocation ?? '–' },
            { label: 'Signalling', value: (r) => r.signalingLocation ?? '–' },
            { label: 'Calls', value: (r) => int(r.calls), numeric: true },
          ],
          rows: dr.locations,
          csv: csv('directRoutingLocations'),
        }),
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
      ),
    );
    if (ctx.me.can.individuals) ctx.show(...(await callLists(ctx)));
  },
};
