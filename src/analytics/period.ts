// The one definition of a period, shared by the server, the CLI and the dashboard: [since, until) in whole hours,
// a granularity for charts, and an IANA time zone (UTC by default) that dates and buckets are read in.
import { CalltroveError } from '../errors.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const granularities = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];

/** The presets the dashboard offers; any `<n>h|d|w` works the same way. */
export const periodPresets = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
] as const;
export const defaultPeriod = '30d';

/** A resolved period: epoch ms, since inclusive, until exclusive, both whole hours (undefined: open). */
export interface Period {
  since?: number;
  until?: number;
  granularity: Granularity;
  timeZone: string;
}

/** A period as the CLI, the API and the URL spell it. */
export interface PeriodText {
  /** `24h`, `7d`, `2w`, `30m`, a date `2024-05-01` (midnight in the zone), `2024-05-01T13:00` or ISO with zone. */
  since?: string;
  until?: string;
  granularity?: string;
  tz?: string;
}

const bad = (message: string, hint: string) => new CalltroveError('bad_request', message, { hint });

const relative = /^(\d+)\s*([mhdw])$/i;
const unitMs: Record<string, number> = { m: 60_000, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };
const floorHour = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
const ceilHour = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS;

export function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw bad(
      `unknown time zone "${tz}"`,
      'use an IANA time zone such as UTC, Europe/Paris or America/Chicago',
    );
  }
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    partsCache.set(tz, f);
  }
  return f;
}

interface Wall {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  /** 0 = Monday. */
  wd: number;
}
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The wall-clock time at `ms` in `tz`. */
export function wallTime(ms: number, tz: string): Wall {
  if (tz === 'UTC') {
    const d = new Date(ms);
    return {
      y: d.getUTCFullYear(),
      m: d.getUTCMonth() + 1,
      d: d.getUTCDate(),
      h: d.getUTCHours(),
      min: d.getUTCMinutes(),
      wd: (d.getUTCDay() + 6) % 7,
    };
  }
  const p = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    h: Number(p.hour),
    min: Number(p.minute),
    wd: weekdays.indexOf(p.weekday),
  };
}

/** The instant a wall-clock time in `tz` names (the earlier one across a DST fold). */
export function zonedTime(y: number, m: number, d: number, h: number, tz: string, min = 0): number {
  const guess = Date.UTC(y, m - 1, d, h, min);
  if (tz === 'UTC') return guess;
  const offsetAt = (t: number) => {
    const w = wallTime(t, tz);
    return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min) - Math.floor(t / 60_000) * 60_000;
  };
  const first = guess - offsetAt(guess);
  const second = guess - offsetAt(first);
  return Math.min(first, second);
}

/** `7d` (before now), `2024-05-01` (midnight in tz), `2024-05-01T13:00` (in tz) or ISO with a zone, as epoch ms. */
export function parseTime(s: string, now: number, name = 'time', tz = 'UTC'): number {
  const t = s.trim();
  const rel = relative.exec(t);
  if (rel) return now - Number(rel[1]) * unitMs[rel[2].toLowerCase()];
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/.exec(t);
  // Date.parse rolls 2026-02-30 over to March 2nd: a day the month does not have is a typo, not a date.
  const [y, m, d] = t.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const calendar = date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (local && calendar) {
    const [h, min] = local.slice(4).map((v) => Number(v ?? 0));
    if (h < 24 && min < 60) return zonedTime(y, m, d, h, tz, min);
  } else if (calendar && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw bad(
    `bad ${name} "${s}"`,
    'use a relative age like 7d, 12h, 30m or 2w, a date like 2024-05-01, or an ISO timestamp like 2024-05-01T13:00:00Z',
  );
}

/**
 * Resolves a period. Bounds are whole hours, the finest bucket the analytics keep, so every page, API answer and
 * CLI report counts exactly the same calls: a relative `since` (`24h`) ends at the end of the current hour and
 * starts that long before it ("the last 24 hours" at 13:37 is 14:00 yesterday to 14:00 today); other bounds
 * widen to the hours containing them. Half-hour zones' midnights fall inside an hour and widen to it.
 */
export function resolvePeriod(
  text: PeriodText,
  now: number,
  names: [string, string] = ['since', 'until'],
): Period {
  const timeZone = checkTimeZone(text.tz || 'UTC');
  const granularity = (text.granularity || 'day') as Granularity;
  if (!granularities.includes(granularity))
    throw bad(`bad granularity "${text.granularity}"`, `granularity is one of ${granularities.join(', ')}`);
  const at = (s: string | undefined, name: string, round: (t: number) => number) => {
    if (!s) return undefined;
    const rel = relative.exec(s.trim());
    if (rel) return ceilHour(now) - Number(rel[1]) * unitMs[rel[2].toLowerCase()];
    return round(parseTime(s, now, name, timeZone));
  };
  const since = at(text.since, names[0], floorHour);
  // "The last 7 days" names its end too: the end of the current hour.
  const until =
    at(text.until, names[1], ceilHour) ??
    (text.since && relative.test(text.since.trim()) ? ceilHour(now) : undefined);
  if (since !== undefined && until !== undefined && since >= until)
    throw bad(`${names[0]} must be before ${names[1]}`, `e.g. ${names[0]} 2024-05-01 ${names[1]} 2024-05-08`);
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    granularity,
    timeZone,
  };
}

/** The start of the granularity bucket (in tz) holding `ms`; weeks start on Monday as ISO weeks do. */
export function bucketStart(ms: number, g: Granularity, tz: string): number {
  if (g === 'hour') return floorHour(ms);
  const w = wallTime(ms, tz);
  if (g === 'day') return zonedTime(w.y, w.m, w.d, 0, tz);
  if (g === 'month') return zonedTime(w.y, w.m, 1, 0, tz);
  const monday = new Date(Date.UTC(w.y, w.m - 1, w.d - w.wd));
  return zonedTime(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, tz);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A bucket's label in tz: `2024-05-01T13:00` (hour), `2024-05-01` (day, week's Monday), `2024-05` (month). */
export function bucketLabel(start: number, g: Granularity, tz: string): string {
  const w = wallTime(start, tz);
  const day = `${w.y}-${pad(w.m)}-${pad(w.d)}`;
  if (g === 'hour') return `${day}T${pad(w.h)}:00`;
  if (g === 'month') return `${w.y}-${pad(w.m)}`;
  return day;
}

/** A period's bounds as text the URL and the API take back unchanged (ISO, UTC). */
export const isoHour = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;
