// A call's sessions on a time axis: one bar per session from its start to its end, poor and failed ones marked,
// the full names on hover (labels are cut to fit), ticks in UTC at a readable step.
import type { CallDetail, JsonObject } from '../../../src/analytics/call-views.ts';
import { h, when } from '../ui/dom.ts';
import { arr, obj, str } from './call-values.ts';

const t = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);

/** Steps a tick may take: the first giving at most 8 ticks over the call is used. */
const steps = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600].map(
  (s) => s * 1000,
);

function clock(ms: number, withSeconds: boolean): string {
  return new Date(ms).toISOString().slice(11, withSeconds ? 19 : 16);
}

export function streamsOf(session: JsonObject): JsonObject[] {
  return arr(session.segments).flatMap((g) => arr(g.media).flatMap((m) => arr(m.streams)));
}

/** Ticks from the call's start to its end, in UTC. */
export function axisTicks(start: number, end: number): { at: number; label: string }[] {
  const span = Math.max(1, end - start);
  const step = steps.find((s) => span / s <= 8) ?? Math.ceil(span / 8 / 3_600_000) * 3_600_000;
  const out: { at: number; label: string }[] = [];
  for (let v = Math.ceil(start / step) * step; v <= end; v += step)
    out.push({ at: ((v - start) / span) * 100, label: clock(v, step < 60_000) });
  return out;
}

/** The timeline of the given sessions (a page of them), on the whole call's time axis. */
export function timeline(
  call: CallDetail,
  sessions: { session: JsonObject; index: number }[],
  who: (e: JsonObject | null) => string,
): HTMLElement {
  const start = t(call.startDateTime);
  const end = t(call.endDateTime);
  const span = Math.max(1, end - start);
  const ticks = Number.isFinite(start) && Number.isFinite(end) ? axisTicks(start, end) : [];
  const axis = h(
    'div',
    { class: 'timeline-axis', 'aria-hidden': 'true' },
    h('span', { class: 'timeline-label' }, 'UTC'),
    h(
      'span',
      { class: 'timeline-track' },
      ticks.map((k) =>
        h('span', { class: 'tick', style: `left:${k.at.toFixed(2)}%`, 'data-tick': k.label }, k.label),
      ),
    ),
  );
  return h(
    'div',
    { class: 'timeline-box' },
    axis,
    h(
      'ol',
      { class: 'timeline', 'aria-label': 'Session timeline' },
      sessions.map(({ session: s, index: i }) => {
        const from = Math.max(0, (t(str(s.startDateTime)) - start) / span) * 100;
        const to = Math.min(100, Math.max(from + 0.5, ((t(str(s.endDateTime)) - start) / span) * 100));
        const poor = streamsOf(s).some((x) => x.quality === 'poor');
        const failed =
          obj(s.failureInfo) !== null || arr(s.segments).some((g) => obj(g.failureInfo) !== null);
        const label = `${who(obj(s.caller))} → ${who(obj(s.callee))}`;
        const times = `${when(str(s.startDateTime))} – ${when(str(s.endDateTime))} UTC`;
        return h(
          'li',
          null,
          h(
            'button',
            {
              type: 'button',
              class: 'timeline-label',
              title: label,
              onclick: () => document.getElementById(`session-${i}`)?.scrollIntoView({ block: 'start' }),
            },
            label,
          ),
          h(
            'span',
            { class: 'timeline-track' },
            h('span', {
              class: `timeline-bar${poor ? ' poor' : ''}${failed ? ' failed' : ''}`,
              style: `left:${from.toFixed(2)}%;width:${(to - from).toFixed(2)}%`,
              title: `${label} · ${times}${poor ? ' · poor streams' : ''}${failed ? ' · failed' : ''}`,
            }),
          ),
        );
      }),
    ),
  );
}
