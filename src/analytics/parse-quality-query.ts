// Turns the CLI's and API's text parameters into a checked QualityQuery, with 400-style errors naming the choices.
import { CalltroveError } from '../errors.ts';
import { parseTime, resolvePeriod } from './period.ts';
import {
  type Dimension,
  dimensions,
  type Measure,
  measures,
  type QualityOrder,
  type QualityQuery,
  type QualityQueryText,
} from './quality-query.ts';

const isDimension = (s: string): s is Dimension => (dimensions as readonly string[]).includes(s);
const isMeasure = (s: string): s is Measure => (measures as readonly string[]).includes(s);

function list(s: string | undefined): string[] {
  return (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export function parseDimension(s: string): Dimension {
  if (isDimension(s)) return s;
  // As people type them: `Building`, `networkType` (the JSON key), `network_type`.
  const kebab = s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replaceAll('_', '-')
    .toLowerCase();
  if (isDimension(kebab)) return kebab;
  throw new CalltroveError('bad_request', `unknown dimension "${s}"`, {
    hint: `valid dimensions: ${dimensions.join(', ')}`,
  });
}

export function parseMeasure(s: string): Measure {
  if (isMeasure(s)) return s;
  const folded = measures.find((m) => m.toLowerCase() === s.replaceAll(/[-_]/g, '').toLowerCase());
  if (folded) return folded;
  throw new CalltroveError('bad_request', `unknown measure "${s}"`, {
    hint: `valid measures: ${measures.join(', ')}`,
  });
}

/** Times and periods are defined once, in period.ts; re-exported for the callers that parse them here. */
export { parseTime } from './period.ts';

/** A since/until pair as every command and route takes it: resolved as a period (whole hours, since < until). */
export function parseTimeRange(
  since: string | undefined,
  until: string | undefined,
  now: number,
  names: [string, string] = ['since', 'until'],
  tz?: string,
): { since?: number; until?: number } {
  const p = resolvePeriod({ since, until, tz }, now, names);
  return {
    ...(p.since !== undefined ? { since: p.since } : {}),
    ...(p.until !== undefined ? { until: p.until } : {}),
  };
}

function parseCount(v: string | number | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CalltroveError('bad_request', `bad ${name} "${v}"`, { hint: `${name} is a whole number ≥ 0` });
  return n;
}

function parseOrder(s: string | undefined, by: Dimension[]): QualityOrder[] | undefined {
  const items = list(s);
  if (items.length === 0) return undefined;
  return items.map((item) => {
    const sign = item[0] === '-' || item[0] === '+' ? item[0] : '';
    const key = sign ? item.slice(1) : item;
    if (!isMeasure(key) && !(isDimension(key) && by.includes(key)))
      throw new CalltroveError('bad_request', `cannot order by "${key}"`, {
        hint: `order by a measure (${measures.join(', ')}) or one of the grouped dimensions (${by.join(', ') || 'none'}); prefix - for descending, + for ascending`,
      });
    const direction = sign === '-' ? 'desc' : sign === '+' ? 'asc' : isMeasure(key) ? 'desc' : 'asc';
    return { key: key as Measure | Dimension, direction };
  });
}

export function parseQualityQuery(text: QualityQueryText, now: number, tz?: string): QualityQuery {
  const by = list(text.by).map(parseDimension);
  const ms = list(text.measures).map(parseMeasure);
  const filters: QualityQuery['filters'] = {};
  for (const f of text.filters ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0)
      throw new CalltroveError('bad_request', `bad filter "${f}"`, {
        hint: 'write a filter as dimension=value[,value...], e.g. media-type=audio',
      });
    const d = parseDimension(f.slice(0, eq).trim());
    const values = f
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim());
    filters[d] = [...(filters[d] ?? []), ...values];
  }
  const { since, until } = parseTimeRange(text.since, text.until, now, ['since', 'until'], tz);
  return {
    by,
    ...(ms.length ? { measures: ms } : {}),
    filters,
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(text.orderBy ? { orderBy: parseOrder(text.orderBy, by) } : {}),
    ...(text.limit !== undefined && text.limit !== '' ? { limit: parseCount(text.limit, 'limit') } : {}),
    ...(text.minClassifiedStreams !== undefined && text.minClassifiedStreams !== ''
      ? { minClassifiedStreams: parseCount(text.minClassifiedStreams, 'minClassifiedStreams') }
      : {}),
  };
}

// The two windows "what changed" compares: a recent period (default the last 7 days) and the baseline right before
// it, given as a length (`30d`, the default) or as the date it starts.

export interface ChangeWindowsText {
  since?: string;
  until?: string;
  baseline?: string;
  tz?: string;
}

export interface ChangeWindows {
  since: number;
  until: number;
  baselineSince: number;
}

const HOUR = 3_600_000;
const length = /^(\d+)\s*([hdw])$/i;
const unitMs: Record<string, number> = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };

/** Resolves the recent window as any period (whole hours) and the baseline as [baselineSince, since). */
export function resolveChangeWindows(text: ChangeWindowsText, now: number): ChangeWindows {
  const p = resolvePeriod({ since: text.since || '7d', until: text.until, tz: text.tz }, now);
  const since = p.since as number;
  const until = p.until ?? Math.ceil(now / HOUR) * HOUR;
  const b = (text.baseline || '30d').trim();
  const len = length.exec(b);
  const baselineSince = len
    ? since - Number(len[1]) * unitMs[len[2].toLowerCase()]
    : Math.floor(parseTime(b, now, 'baseline', p.timeZone) / HOUR) * HOUR;
  if (len && Number(len[1]) === 0)
    throw new CalltroveError('bad_request', `bad baseline "${b}"`, {
      hint: 'a length of at least 1h, e.g. 30d',
    });
  if (baselineSince >= since)
    throw new CalltroveError('bad_request', 'the baseline must start before the recent window', {
      hint: 'give --baseline as a length before --since (30d) or an earlier date',
    });
  return { since, until, baselineSince };
}
