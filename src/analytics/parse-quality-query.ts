// Turns the CLI's and API's text parameters into a checked QualityQuery, with 400-style errors naming the choices.
import { CalltroveError } from '../errors.ts';
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

const relative = /^(\d+)\s*([mhdw])$/i;
const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Date.parse rolls 2026-02-30 over to March 2nd: a day the month does not have is a typo, not a date. */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `7d` (before now), `2024-05-01` (UTC midnight) or an ISO timestamp, as epoch ms. */
export function parseTime(s: string, now: number, name = 'time'): number {
  const t = s.trim();
  const rel = relative.exec(t);
  if (rel) return now - Number(rel[1]) * unitMs[rel[2].toLowerCase()];
  if (/^\d{4}-\d{2}-\d{2}$/.test(t) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);
    if (Number.isFinite(ms) && isCalendarDate(t.slice(0, 10))) return ms;
  }
  throw new CalltroveError('bad_request', `bad ${name} "${s}"`, {
    hint: 'use a relative age like 7d, 12h, 30m or 2w, a date like 2024-05-01, or an ISO timestamp like 2024-05-01T13:00:00Z',
  });
}

/** A since/until pair as every command and route takes it: each parsed, since before until. */
export function parseTimeRange(
  since: string | undefined,
  until: string | undefined,
  now: number,
  names: [string, string] = ['since', 'until'],
): { since?: number; until?: number } {
  const from = since ? parseTime(since, now, names[0]) : undefined;
  const to = until ? parseTime(until, now, names[1]) : undefined;
  if (from !== undefined && to !== undefined && from >= to)
    throw new CalltroveError('bad_request', `${names[0]} must be before ${names[1]}`, {
      hint: `e.g. ${names[0]} 2024-05-01 ${names[1]} 2024-05-08`,
    });
  return { ...(from !== undefined ? { since: from } : {}), ...(to !== undefined ? { until: to } : {}) };
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

export function parseQualityQuery(text: QualityQueryText, now: number): QualityQuery {
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
  const since = text.since ? parseTime(text.since, now, 'since') : undefined;
  const until = text.until ? parseTime(text.until, now, 'until') : undefined;
  if (since !== undefined && until !== undefined && since >= until)
    throw new CalltroveError('bad_request', 'since must be before until', {
      hint: 'e.g. --since 2024-05-01 --until 2024-05-08',
    });
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
