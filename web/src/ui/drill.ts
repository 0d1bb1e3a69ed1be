// Drill-down: the next level below each dimension (organization → building → subnet → access point → users →
// calls → the call; client version → users; device → driver → users), the link to it keeping every filter, and
// the breadcrumbs of the filter chain.
import { type Dimension, dimensionKey } from '../../../src/analytics/quality-query.ts';
import type { PageContext } from '../page.ts';
import { type Child, h, int, pct } from './dom.ts';

/** The dimension a value of `d` opens, grouped; 'users' opens the users list. */
export const nextLevel: Record<string, string> = {
  region: 'country',
  country: 'city',
  city: 'building',
  building: 'subnet',
  subnet: 'access-point',
  'access-point': 'users',
  'wifi-band': 'access-point',
  'network-type': 'building',
  'inside-corp': 'building',
  vpn: 'building',
  'capture-device': 'capture-driver',
  'render-device': 'render-driver',
  platform: 'client-version',
  'product-family': 'client-version',
  'endpoint-type': 'endpoint-model',
};

export const dimensionLabels: Record<string, string> = {
  building: 'Building',
  subnet: 'Subnet',
  'access-point': 'Access point',
  'client-version': 'Client version',
  'network-type': 'Network type',
  'wifi-band': 'Wi-Fi band',
  'capture-device': 'Capture device',
  'render-device': 'Render device',
  'capture-driver': 'Capture driver',
  'render-driver': 'Render driver',
  'media-type': 'Media',
  'inside-corp': 'Inside corp',
  'call-type': 'Call type',
};
export const labelOf = (d: string) =>
  dimensionLabels[d] ?? d.charAt(0).toUpperCase() + d.slice(1).replace(/-/g, ' ');

/** Where a row with `value` of dimension `d` leads: its next level, with the value added to the filters. */
export function drillHref(
  ctx: PageContext,
  d: string,
  value: string | null,
  /** Filters the row's own numbers were computed under (the worst lists are audio). */
  scope: Record<string, string> = {},
): string {
  const next = nextLevel[d] ?? 'users';
  const v = value ?? '';
  if (d === 'user') return ctx.link('calls', { ...scope, user: v });
  if (next === 'users') return ctx.link('users', { ...scope, [d]: v });
  return ctx.link('explore', { by: next, ...scope, [d]: v });
}

/** A dimension's value in a table cell, linking one level deeper. */
export function drillCell(
  ctx: PageContext,
  d: Dimension,
  row: Record<string, unknown>,
  scope: Record<string, string> = {},
): Child {
  const v = (row[dimensionKey(d)] as string | null | undefined) ?? null;
  return h(
    'a',
    { href: drillHref(ctx, d, v, scope), 'data-drill': d, 'data-value': v ?? '' },
    v ?? h('span', { class: 'muted' }, '(unknown)'),
  );
}

/** Organization › building: X › subnet: Y: each crumb opens the level it names, with the filters up to it. */
export function breadcrumbs(ctx: PageContext): HTMLElement {
  const chain = ctx.view.filters;
  const crumbs: Child[] = [
    h(
      'a',
      {
        href: ctx.link('explore', {
          by: 'building',
          ...Object.fromEntries(chain.map(([k]) => [k, undefined])),
        }),
      },
      'Organization',
    ),
  ];
  chain.forEach(([k, v], i) => {
    const drop = Object.fromEntries(chain.slice(i + 1).map(([x]) => [x, undefined]));
    const next = nextLevel[k] ?? 'users';
    const href = next === 'users' ? ctx.link('users', drop) : ctx.link('explore', { ...drop, by: next });
    crumbs.push(' › ', h('a', { href, 'data-crumb': k }, `${labelOf(k)}: ${v || '(unknown)'}`));
  });
  return h('nav', { class: 'crumbs', 'aria-label': 'Filters applied', 'data-crumbs': 'true' }, crumbs);
}

/** "924 poor of 2,310 classified (3,004 streams)": a poor rate is never shown without its denominator. */
export function poorOf(r: Record<string, unknown>): string {
  return `${pct(r.poorPercent as number | null)} · ${int(r.poorStreams as number)} poor of ${int(r.classifiedStreams as number)} classified (${int(r.streams as number)} streams)`;
}

/** Said on views whose answers take the period only, when the bar holds filters they cannot apply. */
export function periodOnlyNotice(ctx: PageContext, what: string): Child {
  return ctx.view.filters.length
    ? h(
        'p',
        { class: 'muted note', 'data-period-only': 'true' },
        `${what} take the period only: the filters above do not apply here.`,
      )
    : null;
}

export const unclassifiedNote =
  "Poor % = poor streams ÷ classified streams. Unclassified streams (too short, or without the metrics CQD's thresholds need, such as screen sharing or streams that never connected) count in Streams but in no poor rate.";
