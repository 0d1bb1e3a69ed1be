// Buildings ranked by audio poor stream rate (enough classified streams to judge), CQD's first place to look.
import type { ReadDb } from '../store/db.ts';
import type { Dimension, Measure, QualityRow, ReportWindow } from './quality-query.ts';
import { dimensionKey } from './quality-query.ts';
import { type QualityOptions, queryQuality, usersIf } from './query-quality.ts';

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
export async function listWorst(
  db: ReadDb,
  by: Dimension[],
  o: WorstOptions,
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  const filters = { ...(o.filters ?? {}), 'media-type': ['audio'] };
  const window = { since: o.since, until: o.until, filters };
  const subject = dimensionKey(by[0]);
  const rows = (
    await queryQuality(
      db,
      {
        ...window,
        by,
        measures: [...worstMeasures, ...usersIf(options)],
        orderBy: [
          { key: 'poorPercent', direction: 'desc' },
          { key: 'streams', direction: 'desc' },
        ],
        minClassifiedStreams: o.minClassifiedStreams ?? 20,
      },
      options,
    )
  )
    .filter((r) => r[subject] !== null)
    .slice(0, o.limit ?? 10);
  // Calls only of the listed subjects: a few values looked up in the distinct-call rollup.
  const listed = rows.map((r) => String(r[subject]));
  const calls = listed.length
    ? await queryQuality(
        db,
        {
          ...window,
          filters: { ...filters, [by[0]]: listed },
          by: [by[0]],
          measures: ['calls'],
        },
        options,
      )
    : [];
  const callsOf = new Map(calls.map((r) => [r[subject], r.calls]));
  return rows.map((r) => ({ ...r, calls: callsOf.get(r[subject]) ?? 0 }));
}

/** Rows: building, city, country, streams, classifiedStreams, poorStreams, poorPercent, avg metrics, calls. Unknown buildings are left out (see list-missing-subnets). */
export async function listWorstBuildings(
  db: ReadDb,
  o: WorstOptions = {},
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  return listWorst(db, ['building', 'city', 'country'], o, options);
}
