// What a dashboard URL says about the data shown: the period (period.ts), its granularity and time zone, and the
// quality filters (any dimension, in the order they were added: that order is the drill-down's breadcrumb chain).
import { defaultPeriod, type Granularity, granularities, resolvePeriod } from '../../src/analytics/period.ts';
import { dimensions } from '../../src/analytics/quality-query.ts';
import type { Params } from './api.ts';

/** URL keys of the period; `granularity` only shapes charts. */
export const periodKeys = ['since', 'until', 'tz', 'granularity'] as const;

/** The filter bar's dimensions, as labelled there; `choices` fixes the values of two-valued ones. */
export const barDimensions: { key: string; label: string; choices?: [string, string][] }[] = [
  { key: 'media-type', label: 'Media' },
  { key: 'network-type', label: 'Network' },
  { key: 'wifi-band', label: 'Wi-Fi band' },
  {
    key: 'inside-corp',
    label: 'Inside/outside',
    choices: [
      ['true', 'Inside'],
      ['false', 'Outside'],
    ],
  },
  {
    key: 'vpn',
    label: 'VPN',
    choices: [
      ['true', 'VPN'],
      ['false', 'No VPN'],
    ],
  },
  { key: 'building', label: 'Building' },
  { key: 'platform', label: 'Platform' },
  { key: 'client-version', label: 'Client version' },
  { key: 'call-type', label: 'Call type' },
];

export const isDimension = (k: string) => (dimensions as readonly string[]).includes(k);

export interface ViewState {
  /** since, until, tz as the API takes them (no `since` in the URL: the last 30 days; `all`: everything). */
  period: Params;
  /** Dimension filters in URL order; '' is the unknown value. */
  filters: [string, string][];
  granularity: Granularity;
  tz: string;
  label: string;
}

function fmt(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(ms))
    .replace(',', '');
}

export function viewState(query: URLSearchParams, now = Date.now()): ViewState {
  const rawSince = query.get('since') ?? defaultPeriod;
  const until = query.get('until') ?? undefined;
  const tz = query.get('tz') || 'UTC';
  const g = query.get('granularity') as Granularity | null;
  const granularity = g && granularities.includes(g) ? g : 'day';
  const filters = [...query.entries()].filter(([k]) => isDimension(k));
  const since = rawSince === 'all' ? undefined : rawSince;
  const period: Params = { since, until, tz: tz === 'UTC' ? undefined : tz };
  let label = 'all stored calls';
  try {
    const p = resolvePeriod({ since, until, tz }, now);
    const rel = since ? /^(\d+)([hdw])$/.exec(since) : null;
    const what = rel ? `last ${rel[1]} ${{ h: 'hours', d: 'days', w: 'weeks' }[rel[2]]}` : '';
    if (p.since !== undefined)
      label = `${what ? `${what}: ` : ''}${fmt(p.since, tz)} – ${p.until !== undefined ? fmt(p.until, tz) : 'now'} ${tz}`;
  } catch {
    label = `${since ?? ''} – ${until ?? ''}`;
  }
  return { period, filters, granularity, tz, label };
}

/** The API parameters of a view: its period and every filter. */
export function apiParams(s: ViewState): Params {
  return { ...s.period, ...Object.fromEntries(s.filters) };
}

/** The URL keys a link to another view keeps: the period and the filters. */
export function keptKeys(query: URLSearchParams): URLSearchParams {
  const keep = new URLSearchParams();
  for (const [k, v] of query.entries())
    if ((periodKeys as readonly string[]).includes(k) || isDimension(k)) keep.append(k, v);
  return keep;
}
