// A media's two ends side by side in the admin center's Advanced groups: Device, System, Connectivity, Network,
// each value with its unit and, where the server flagged it, red or yellow with the rule as a tooltip.
import { type End, type EndRow, endGroups, endsOf } from '../../../src/format/call-ends.ts';
import type { JsonObject } from '../../../src/format/call-values.ts';
import { type Child, h, num1 } from '../ui/dom.ts';
import { arr, flagged, numv, str } from './call-values.ts';

function hops(network: JsonObject | null): Child {
  const list = arr(network?.traceRouteHops);
  if (list.length === 0) return null;
  return h(
    'ol',
    { class: 'hops', 'aria-label': 'Trace-route hops' },
    list.map((hop) =>
      h('li', null, `${str(hop.ipAddress) ?? '?'} · ${num1(numv(hop.roundTripTimeMs), 'ms')}`),
    ),
  );
}

/** A row of the shared table (src/format/call-ends.ts) drawn: red or yellow with its rule when flagged. */
const drawn = ([label, value]: EndRow): [string, (x: End) => Child] => [
  label,
  (x) => {
    const c = value(x);
    return c.judged ? flagged(c.text, c.judged.of, c.judged.property) : c.text;
  },
];

type Row = [string, (x: End) => Child];
const traceRoute: Row = ['Trace route', (x) => hops(x.n)];

/** The labels and values the text view writes too, and the trace route, which only a page can draw. */
const groups = endGroups.map(([group, rows]): [string, Row[]] => [
  group,
  [...rows.map(drawn), ...(group === 'Connectivity' ? [traceRoute] : [])],
]);

const shownValue = (c: Child) => c !== null && c !== undefined && c !== false && c !== '';

/** The two ends of a media side by side, in groups; rows where both ends are unknown are left out. */
export function endsTable(
  caller: JsonObject | null,
  callee: JsonObject | null,
  media: JsonObject,
): HTMLElement {
  const [a, b] = endsOf(caller, callee, media);
  return h(
    'table',
    { class: 'data compact ends' },
    h('caption', null, `Endpoints of ${str(media.label) ?? 'media'}`),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, ''),
        h('th', { scope: 'col' }, 'Caller'),
        h('th', { scope: 'col' }, 'Callee'),
      ),
    ),
    groups.map(([group, rows]) => {
      const shown = rows
        .map(([label, f]) => [label, f(a), f(b)] as const)
        .filter(([, x, y]) => shownValue(x) || shownValue(y));
      if (shown.length === 0) return null;
      return h(
        'tbody',
        { 'data-group': group },
        h('tr', { class: 'group' }, h('th', { scope: 'colgroup', colspan: 3 }, group)),
        shown.map(([label, x, y]) =>
          h(
            'tr',
            { 'data-row': label },
            h('th', { scope: 'row' }, label),
            h('td', null, shownValue(x) ? x : '–'),
            h('td', null, shownValue(y) ? y : '–'),
          ),
        ),
      );
    }),
  );
}
