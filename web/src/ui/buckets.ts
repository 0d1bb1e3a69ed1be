// Time series in the view's granularity and time zone: whole UTC days come from the API as they are; any other
// bucket (hours, weeks, months, days in another zone) is summed from hour rows, exact because a call and its
// streams belong to the one hour its call started in.
import { bucketLabel, bucketStart } from '../../../src/analytics/period.ts';
import type { QualityRow } from '../../../src/analytics/quality-query.ts';
import type { QualityAnswer } from '../../../src/server/api-types.ts';
import { get } from '../api.ts';
import type { PageContext } from '../page.ts';

const additive = ['calls', 'minutes', 'streams', 'classifiedStreams', 'poorStreams'];

/** True when the view's buckets are the API's own UTC days. */
export const utcDays = (ctx: PageContext) => ctx.view.granularity === 'day' && ctx.view.tz === 'UTC';

/** Rows keyed `bucket` (the label), additive measures summed, poorPercent recomputed from poor ÷ classified. */
export async function seriesRows(
  ctx: PageContext,
  extra: Record<string, string> = {},
): Promise<QualityRow[]> {
  const { rows } = await get<QualityAnswer>('/quality', {
    ...ctx.range,
    ...extra,
    by: 'hour',
    measures: additive.join(','),
  });
  const { granularity: g, tz } = ctx.view;
  const out = new Map<number, QualityRow>();
  for (const r of rows) {
    const start = bucketStart(Date.parse(String(r.hour).replace(/Z$/, ':00Z')), g, tz);
    const b = out.get(start) ?? { bucket: bucketLabel(start, g, tz) };
    for (const m of additive) b[m] = Number(b[m] ?? 0) + Number(r[m] ?? 0);
    out.set(start, b);
  }
  return [...out.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, b]) => ({
      ...b,
      poorPercent:
        Number(b.classifiedStreams) > 0 ? (Number(b.poorStreams) / Number(b.classifiedStreams)) * 100 : null,
    }));
}

/** The overview's rows per bucket: calls, minutes, poor % of all media and of audio. */
export async function overviewSeries(
  ctx: PageContext,
  byDay: QualityRow[],
): Promise<{ label: string; row: QualityRow }[]> {
  if (utcDays(ctx)) return byDay.map((d) => ({ label: String(d.day), row: d }));
  const [all, audio] = await Promise.all([seriesRows(ctx), seriesRows(ctx, { 'media-type': 'audio' })]);
  const audioBy = new Map(audio.map((r) => [r.bucket, r.poorPercent]));
  return all.map((r) => ({
    label: String(r.bucket),
    row: { ...r, audioPoorPercent: audioBy.get(r.bucket) ?? null },
  }));
}
