// CQD's missing-subnet report: subnets with at least 10 audio streams that no building row covers.
import type { Db } from '../store/db.ts';
import type { QualityRow, ReportWindow } from './quality-query.ts';
import { queryQuality } from './query-quality.ts';

/** Rows: subnet, streams (audio), classifiedStreams, poorPercent; most streams first. */
export async function listMissingSubnets(
  db: Db,
  o: ReportWindow & { minStreams?: number; limit?: number } = {},
): Promise<QualityRow[]> {
  const rows = await queryQuality(db, {
    by: ['subnet'],
    filters: { ...(o.filters ?? {}), 'media-type': ['audio'], building: [''] },
    since: o.since,
    until: o.until,
    measures: ['streams', 'classifiedStreams', 'poorPercent'],
    orderBy: [{ key: 'streams', direction: 'desc' }],
  });
  const min = o.minStreams ?? 10;
  return rows.filter((r) => r.subnet !== null && Number(r.streams) >= min).slice(0, o.limit ?? 100);
}
