// The Quality of Experience review targets beside the rates measured here, scope by scope.
import type { TargetResult } from '../../../src/analytics/get-quality-targets.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { type Child, h, int, pct } from '../ui/dom.ts';
import { table } from '../ui/table.ts';

function against(measured: number | null, target: number, meets: boolean | null): Child {
  if (measured === null) return h('span', { class: 'muted' }, 'no data');
  return h(
    'span',
    { class: `badge ${meets ? 'good' : 'poor'}`, 'data-meets': String(meets) },
    `${pct(measured)} ${meets ? '✓' : '✗'} `,
    h('span', { class: 'target' }, `target ${pct(target)}`),
  );
}

export const qerPage: Page = {
  title: 'QER targets',
  async render(ctx) {
    const { targets } = await get<{ targets: TargetResult[] }>('/qer-targets', ctx.range);
    ctx.show(
      h('h1', null, 'QER targets ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel} · audio streams`)),
      h(
        'p',
        { class: 'lead' },
        "Microsoft's Quality of Experience review guide sets targets for the audio poor stream rate, the setup failure rate and the drop failure rate. " +
          'Internal means the client was on a building subnet marked inside corporate; conferencing means group calls.',
      ),
      table<TargetResult>({
        id: 'qer',
        caption: 'Measured rate against target',
        columns: [
          { label: 'Scope', value: (t) => t.label },
          { label: 'Audio streams', value: (t) => int(t.streams), numeric: true },
          {
            label: 'Poor stream rate',
            value: (t) => against(t.measured.poorPercent, t.target.poorPercent, t.meets.poorPercent),
          },
          {
            label: 'Setup failure rate',
            value: (t) =>
              against(
                t.measured.setupFailurePercent,
                t.target.setupFailurePercent,
                t.meets.setupFailurePercent,
              ),
          },
          {
            label: 'Drop failure rate',
            value: (t) =>
              against(t.measured.dropFailurePercent, t.target.dropFailurePercent, t.meets.dropFailurePercent),
          },
        ],
        rows: targets,
        csv: { path: '/qer-targets', params: ctx.range, filename: 'qer-targets.csv' },
      }),
    );
  },
};
