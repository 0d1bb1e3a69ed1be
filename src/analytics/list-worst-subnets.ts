// Subnets ranked by audio poor stream rate, with the building (if any) each one maps to.
import type { ReadDb } from '../store/db.ts';
import { listWorst, type WorstOptions } from './list-worst-buildings.ts';
import type { QualityRow } from './quality-query.ts';
import type { QualityOptions } from './query-quality.ts';

/** Rows: subnet, building (null when no building covers it), streams, classifiedStreams, poorStreams, poorPercent, avg metrics, calls. */
export async function listWorstSubnets(
  db: ReadDb,
  o: WorstOptions = {},
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  return listWorst(db, ['subnet', 'building'], o, options);
}
