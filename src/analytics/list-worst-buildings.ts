// Buildings ranked by audio poor stream rate (enough classified streams to judge), CQD's first place to look.
import type { Db } from '../store/db.ts';
import type { Dimension, Measure, QualityRow, ReportWindow } from './quality-query.ts';
import { dimensionKey } from './quality-query.ts';
import { queryQuality } from './query-quality.ts';

export interface WorstOptions extends ReportWindow {
  limit?: number;
  /** Groups with fewer classified audio streams are left out (default 20). */
  minClassifiedStreams?: number;
}

const worstMeasures: Measure[] = [
  'streams',
  'classifiedStreams',
  'poorStreams',
  'poorPercent',
  'avgJitterMs',
  'avgPacketLoss',
  'avgRoundTripMs',
  'avgConcealedRatio',
];

/**
 * Audio groups by `by` (the first dimension the subject, the others describing it, e.g. a building's city),
 * worst poor % first, each with its distinct calls. Calls are counted by the subject alone so they come from
 * the distinct-call rollup instead of the per-stream facts.
 */
export async function listWorst(db: Db, by: Dimension[], o: WorstOptions): Promise<QualityRow[]> {
  const filters = { ...(o.filters ?? {}), 'media-type': ['audio'] };
  const window = { since: o.since, until: o.until, filters };
  const subject = dimensionKey(by[0]);
  const [rows, calls] = await Promise.all([
    queryQuality(db, {
      ...window,
      by,
      measures: worstMeasures,
      orderBy: [
        { key: 'poorPercent', direction: 'desc' },
        { key: 'streams', direction: 'desc' },
      ],
      minClassifiedStreams: o.minClassifiedStreams ?? 20,
    }),
    queryQuality(db, { ...window, by: [by[0]], measures: ['calls'] }),
  ]);
  const callsOf = new Map(calls.map((r) => [r[subject], r.calls]));
  return rows
    .filter((r) => r[subject] !== null)
    .slice(0, o.limit ?? 10)
    .map((r) => ({ ...r, calls: callsOf.get(r[subject]) ?? 0 }));
}

/** Rows: building, city, country, streams, classifiedStreams, poorStreams, poorPercent, avg metrics, calls. Unknown buildings are left out (see list-missing-subnets). */
export async function listWorstBuildings(db: Db, o: WorstOptions = {}): Promise<QualityRow[]> {
  return listWorst(db, ['building', 'city', 'country'], o);
}
