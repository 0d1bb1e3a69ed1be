// Reliability: setup failure rate (streams whose call setup failed / all streams) and drop failure rate
// (dropped streams / streams set up), from sessions' and segments' failureInfo; audio unless told otherwise.
import type { Db, SqlValue } from '../store/db.ts';
import type { QualityRow, ReportWindow } from './quality-query.ts';
import { type QualityOptions, queryQuality, usersIf } from './query-quality.ts';

const measures = [
  'streams',
  'setupFailedStreams',
  'droppedStreams',
  'setupFailurePercent',
  'dropFailurePercent',
] as const;

export interface Reliability {
  totals: QualityRow;
  byDay: QualityRow[];
  byNetworkType: QualityRow[];
  /** The most frequent failure reasons of failed segments (or sessions without segments) in the window. */
  reasons: { stage: string; reason: string | null; count: number }[];
}

export async function getReliability(
  db: Db,
  w: ReportWindow = {},
  options: QualityOptions = {},
): Promise<Reliability> {
  const filters = { 'media-type': ['audio'], ...(w.filters ?? {}) };
  const base = { since: w.since, until: w.until, filters, measures: [...measures] };
  const grouped = { ...base, measures: [...measures, ...usersIf(options)] };
  const [totals, byDay, byNetworkType] = await Promise.all([
    queryQuality(db, { ...base, by: [] }, options),
    queryQuality(db, { ...grouped, by: ['day'] }, options),
    queryQuality(
      db,
      {
        ...grouped,
        by: ['network-type'],
        orderBy: [{ key: 'setupFailurePercent', direction: 'desc' }],
      },
      options,
    ),
  ]);
  const DAY = 86_400_000;
  const conds = ['g.failure_stage IS NOT NULL'];
  const params: SqlValue[] = [];
  if (w.since !== undefined) {
    conds.push('c.start_time >= ?');
    params.push(Math.floor(w.since / DAY) * DAY);
  }
  if (w.until !== undefined) {
    conds.push('c.start_time < ?');
    params.push(Math.floor((w.until - 1) / DAY) * DAY + DAY);
  }
  const reasons = await db.all<{ stage: string; reason: string | null; count: number }>(
    `SELECT g.failure_stage AS stage, g.failure_reason AS reason, COUNT(*) AS count FROM calls c JOIN call_segments g ON g.call_id = c.id WHERE ${conds.join(' AND ')} GROUP BY g.failure_stage, g.failure_reason ORDER BY COUNT(*) DESC LIMIT 20`,
    params,
  );
  return {
    totals: totals[0] ?? {
      streams: 0,
      setupFailedStreams: 0,
      droppedStreams: 0,
      setupFailurePercent: null,
      dropFailurePercent: null,
    },
    byDay,
    byNetworkType,
    reasons: reasons.map((r) => ({ stage: r.stage, reason: r.reason, count: Number(r.count) })),
  };
}
