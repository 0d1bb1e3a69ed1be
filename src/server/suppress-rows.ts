// Small-group suppression for the ready-made dashboard answers: counts each group's distinct users, then hands
// the rows to the suppression seam (which folds small groups into "other") for callers who may not see them.
import {
  type Dimension,
  dimensionKey,
  type QualityRow,
  type ReportWindow,
} from '../analytics/quality-query.ts';
import { queryQuality } from '../analytics/query-quality.ts';
import { permissions } from './auth.ts';
import type { Ctx, RouteDeps } from './context.ts';

export interface Suppressed {
  rows: QualityRow[];
  /** True when suppression applied to this caller. */
  suppressed: boolean;
}

/** True when this caller's answers must fold small groups. */
export function mustSuppress(c: Ctx, deps: RouteDeps): boolean {
  return !permissions.seeSmallGroups(c.get('principal')) && deps.config.privacy.minGroupSize > 1;
}

/**
 * `rows` grouped by `by` over the streams `window` selects (the same filters the query used, e.g. audio only).
 * Users are counted by one extra rollup query, only for callers who need suppression.
 */
export async function suppressRows(
  c: Ctx,
  deps: RouteDeps,
  rows: QualityRow[],
  by: Dimension[],
  window: ReportWindow,
): Promise<Suppressed> {
  if (!mustSuppress(c, deps) || rows.length === 0) return { rows, suppressed: false };
  const keys = by.map(dimensionKey);
  const groupOf = (r: QualityRow) => keys.map((k) => String(r[k] ?? '')).join('\u0000');
  const counted = await queryQuality(deps.store.db, {
    by,
    measures: ['users'],
    since: window.since,
    until: window.until,
    filters: window.filters ?? {},
  });
  const users = new Map(counted.map((r) => [groupOf(r), r.users ?? 0]));
  const withUsers = rows.map((r) => ({ ...r, users: users.get(groupOf(r)) ?? 0 }));
  const folded = deps.suppression.apply(withUsers, { keys, minGroupSize: deps.config.privacy.minGroupSize });
  for (const r of folded) delete (r as Record<string, unknown>).users;
  return { rows: folded, suppressed: true };
}
