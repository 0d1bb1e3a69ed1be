// ISO-8601 durations as Graph serializes them (PT0.015S) converted to and from milliseconds.
const pattern =
  /^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO-8601 duration; null for null/undefined, undefined when the text is not a duration. */
export function durationToMs(value: string | null | undefined): number | null | undefined {
  if (value === null || value === undefined) return null;
  const m = pattern.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return undefined;
  const [, neg, d, h, min, s] = m;
  const ms =
    (Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000;
  // Round to microsecond precision so 0.015 s gives exactly 15, not 15.000000000000002.
  const rounded = Math.round(ms * 1000) / 1000;
  return neg ? -rounded : rounded;
}

export function isDuration(value: string): boolean {
  return durationToMs(value) !== undefined;
}

/** Milliseconds back to Graph's form, e.g. 15 -> "PT0.015S". */
export function msToDuration(ms: number): string {
  const seconds = Math.round(ms) / 1000;
  return `PT${Number(seconds.toFixed(3))}S`;
}
