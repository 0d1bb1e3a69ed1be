// Client versions (with their product family) ranked by audio poor stream rate.
import type { ReadDb } from '../store/db.ts';
import { listWorst, type WorstOptions } from './list-worst-buildings.ts';
import type { QualityRow } from './quality-query.ts';
import type { QualityOptions } from './query-quality.ts';

/** Rows: clientVersion, productFamily, streams, classifiedStreams, poorStreams, poorPercent, avg metrics, calls. */
export async function listWorstClientVersions(
  db: ReadDb,
  o: WorstOptions = {},
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  return listWorst(db, ['client-version', 'product-family'], o, options);
}
