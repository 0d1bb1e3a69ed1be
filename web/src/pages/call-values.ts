// How the call view writes one value: with its unit, and red or yellow with the rule as a tooltip when the server
// flagged it (flags come with the call detail, from src/quality/metric-ranges.ts).
import type { JsonObject, JsonValue } from '../../../src/analytics/call-views.ts';
import { type Child, h } from '../ui/dom.ts';

export const obj = (v: JsonValue | undefined): JsonObject | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
export const arr = (v: JsonValue | undefined): JsonObject[] =>
  Array.isArray(v) ? (v.filter((x) => obj(x) !== null) as JsonObject[]) : [];
export const str = (v: JsonValue | undefined): string | null =>
  typeof v === 'string' && v !== '' ? v : null;
export const numv = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);

const fixed = (v: number, digits: number) => String(+v.toFixed(digits));

/** Units the call view and `calltrove call --format text` share (kept equal by their tests). */
export const fmt = {
  ms: (v: number | null) => (v === null ? null : `${fixed(v, 1)} ms`),
  /** A ratio 0–1 as percent. */
  ratio: (v: number | null) => (v === null ? null : `${fixed(v * 100, 2)}%`),
  /** A value already in percent. */
  percent: (v: number | null) => (v === null ? null : `${fixed(v, 1)}%`),
  fps: (v: number | null) => (v === null ? null : `${fixed(v, 2)} fps`),
  kbps: (v: number | null) => (v === null ? null : `${fixed(v / 1000, 1)} kbit/s`),
  mbps: (v: number | null) => (v === null ? null : `${fixed(v / 1_000_000, 1)} Mbit/s`),
  mhz: (v: number | null) => (v === null ? null : `${v} MHz`),
  db: (v: number | null) => (v === null ? null : `${v} dB`),
  per5: (v: number | null) => (v === null ? null : `${fixed(v, 2)} per 5 min`),
  plain: (v: number | null, digits = 2) => (v === null ? null : fixed(v, digits)),
  yesNo: (v: JsonValue | undefined) => (v === true ? 'yes' : v === false ? 'no' : null),
};

/** The flag the server set on `property` of `o`, if any. */
export function flagOf(o: JsonObject | null, property: string): { level: string; rule: string } | null {
  const f = obj(obj(o?.flags)?.[property]);
  const level = str(f?.level);
  return f && level ? { level, rule: str(f.rule) ?? '' } : null;
}

/** A value; red (poor) or yellow (watch) with the rule on hover when flagged. */
export function flagged(text: string | null, o: JsonObject | null, property: string): Child {
  if (text === null) return null;
  const f = flagOf(o, property);
  if (!f) return text;
  return h(
    'span',
    {
      class: `flag ${f.level}`,
      'data-flag': f.level,
      'data-metric': property,
      title: f.rule,
      'aria-label': `${text}: ${f.level === 'poor' ? 'poor' : 'watch'}, ${f.rule}`,
    },
    text,
  );
}

/** "avg / max" with only the average judged (CQD's rules read averages). */
export function avgMax(avg: Child, max: string | null): Child {
  if (avg === null && max === null) return null;
  return [avg ?? '–', ' / ', max ?? '–'];
}
