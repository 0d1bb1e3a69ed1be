// How a call's values read, for the dashboard's call view and `calltrove call --format text` alike: the call
// detail's JSON read safely, and each value written with its unit.

/** The call detail's JSON (the same shape as src/analytics/call-views.ts's, restated: format sits below it). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const obj = (v: JsonValue | undefined): JsonObject | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
export const arr = (v: JsonValue | undefined): JsonObject[] =>
  Array.isArray(v) ? (v.filter((x) => obj(x) !== null) as JsonObject[]) : [];
export const str = (v: JsonValue | undefined): string | null =>
  typeof v === 'string' && v !== '' ? v : null;
export const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** Rounded, without trailing zeros: 12.30 is "12.3". */
const fixed = (v: number, digits: number) => String(+v.toFixed(digits));

export const units = {
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

/** The flag the server set on `property` of `o` (src/quality/metric-ranges.ts), if any. */
export function flagOf(o: JsonObject | null, property: string): { level: string; rule: string } | null {
  const f = obj(obj(o?.flags)?.[property]);
  const level = str(f?.level);
  return f && level ? { level, rule: str(f.rule) ?? '' } : null;
}
