// The privacy policy every question applies: who must see small groups folded, and the audit entry of a read of
// individuals (built here once, whichever transport asked).
import type { QualityRow } from '../analytics/quality-query.ts';
import { foldSmallGroups } from '../privacy/suppress.ts';
import { type Principal, permissions } from './principal.ts';
import type { Service } from './service.ts';

/** What was read. Every read of end-user identifiable information by an investigator produces one entry. */
export type AuditAction =
  | 'call.read'
  | 'calls.list'
  | 'users.list'
  | 'user.calls'
  | 'user.read'
  | 'quality.individuals'
  | 'feedback.read'
  | 'export.table'
  | 'pstn.calls'
  | 'directRouting.calls';

/** Writes the audit entry of one read before its answer leaves (a failure to write fails the read). */
export async function audited(
  s: Service,
  who: Principal,
  action: AuditAction,
  resource: string,
  count?: number,
): Promise<void> {
  await s.audit({
    at: new Date(s.clock.now()).toISOString(),
    action,
    role: who.role,
    via: who.via,
    tokenId: who.tokenId,
    resource,
    ...(count !== undefined ? { count } : {}),
  });
}

type Asked = string | number | boolean | readonly string[] | undefined | null;

/**
 * A question's parameters as a query string for the audit log (`by=user&since=2025-03-01T00:00:00.000Z`): the
 * same read gives the same entry through the API and the CLI. Times are named `since`/`until` (epoch ms here).
 */
export function askedOf(params: Record<string, Asked>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) q.append(k, v.join(','));
    } else if ((k === 'since' || k === 'until') && typeof v === 'number')
      q.append(k, new Date(v).toISOString());
    else q.append(k, String(v));
  }
  return q.toString();
}

/** True when this caller's answers must fold groups of fewer than privacy.minGroupSize users. */
export function mustFold(s: Service, who: Principal): boolean {
  return !permissions.seeSmallGroups(who) && s.config.privacy.minGroupSize > 1;
}

export interface Folded {
  rows: QualityRow[];
  /** True when groups below privacy.minGroupSize were folded into "other" for this caller. */
  suppressed: boolean;
}

/**
 * Folds rows that carry their own `users` count (the same query counted them) for a caller who may not see
 * small groups; `users` and the `extra` measures asked only for folding are dropped from the answer.
 */
export function foldFor(
  s: Service,
  who: Principal,
  rows: QualityRow[],
  keys: readonly string[],
  extra: readonly string[] = ['users'],
): Folded {
  if (!mustFold(s, who)) return { rows, suppressed: false };
  const folded = foldSmallGroups(rows, { keys, minGroupSize: s.config.privacy.minGroupSize });
  for (const row of folded) for (const m of extra) delete (row as Record<string, unknown>)[m];
  return { rows: folded, suppressed: true };
}
