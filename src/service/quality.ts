// The quality question: any dimensions, measures and filters over the stream rollups, for a caller.
import {
  defaultMeasures,
  dimensionKey,
  type Measure,
  type QualityQuery,
} from '../analytics/quality-query.ts';
import { queryQuality } from '../analytics/query-quality.ts';
import { suppressionNeeds } from '../privacy/suppress.ts';
import { askedOf, audited, type Folded, foldFor, mustFold } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

/** Grouping or filtering by user shows individuals. */
export const touchesUsers = (q: Pick<QualityQuery, 'by' | 'filters'>): boolean =>
  q.by.includes('user') || (q.filters.user?.length ?? 0) > 0;

export interface QualityReport extends Folded {
  measures: Measure[];
}

/**
 * Per-user rows need the investigator role and are audited; for a caller who may not see small groups the query
 * also counts each group's users (and what the "other" row's rates need), folds, and drops those again.
 */
export async function qualityReport(s: Service, who: Principal, query: QualityQuery): Promise<QualityReport> {
  const individuals = touchesUsers(query);
  if (individuals) requireIndividuals(who, 'per-user quality rows');
  const measures = query.measures ?? [...defaultMeasures];
  const extra = mustFold(s, who) ? (suppressionNeeds(measures) as Measure[]) : [];
  const rows = await queryQuality(s.store.reads, { ...query, measures: [...measures, ...extra] });
  const answer = foldFor(s, who, rows, query.by.map(dimensionKey), extra);
  if (individuals)
    await audited(
      s,
      who,
      'quality.individuals',
      askedOf({
        by: query.by,
        since: query.since,
        until: query.until,
        ...Object.fromEntries(Object.entries(query.filters).map(([d, v]) => [d, v])),
      }),
      answer.rows.length,
    );
  return { ...answer, measures };
}
