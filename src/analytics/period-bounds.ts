// A period [since, until) as SQL conditions on one time column, for the queries that keep rows by when they started.
import type { SqlValue } from '../store/db.ts';

/** Conditions (ANDed) that keep rows whose `column` (epoch ms) lies in [since, until); either bound may be open. */
export function periodBounds(
  column: string,
  w: { since?: number; until?: number },
): { conds: string[]; params: SqlValue[] } {
  const conds: string[] = [];
  const params: SqlValue[] = [];
  if (w.since !== undefined) {
    conds.push(`${column} >= ?`);
    params.push(w.since);
  }
  if (w.until !== undefined) {
    conds.push(`${column} < ?`);
    params.push(w.until);
  }
  return { conds, params };
}
