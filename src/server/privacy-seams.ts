// The server's privacy seams: an audit hook for investigator reads of EUII and small-group suppression for
// viewers. createApp takes both; the defaults are a no-op audit and src/privacy's folding rule.
import type { DimensionKey, Measure, QualityRow } from '../analytics/quality-query.ts';
import { foldSmallGroups as fold, suppressionNeeds } from '../privacy/suppress.ts';
import type { Principal } from './auth.ts';

/** What was read. Every read of end-user identifiable information by an investigator produces one event. */
export type AuditAction =
  | 'call.read'
  | 'calls.list'
  | 'users.list'
  | 'user.calls'
  | 'quality.individuals'
  | 'feedback.read';

export interface AuditEvent {
  /** ISO time of the read (server clock). */
  at: string;
  action: AuditAction;
  role: Principal['role'];
  via: Principal['via'];
  /** Token fingerprint (never the token), null for the local admin. */
  tokenId: string | null;
  /** What was read: a call id, a user id, or the query string of a list. */
  resource: string;
  /** Rows returned, for lists. */
  count?: number;
}

/**
 * Called before EUII is returned; when it throws (the audit log cannot be written), the read fails with 500,
 * so no EUII leaves the server unaudited.
 */
export type Audit = (event: AuditEvent) => void | Promise<void>;

export const noAudit: Audit = () => {};

/** Folds groups of fewer than `minGroupSize` distinct users into one "other" group. */
export interface GroupSuppression {
  /** Measures each row must carry for `apply` to work (the server adds them to the query, then drops them). */
  needs(requested: readonly Measure[]): Measure[];
  apply(rows: QualityRow[], ctx: SuppressionContext): QualityRow[];
}

export interface SuppressionContext {
  /** The grouped dimensions' row keys, in order. */
  keys: readonly DimensionKey[];
  minGroupSize: number;
}

export { otherGroup } from '../privacy/suppress.ts';

/**
 * The default suppression, src/privacy's rule: a group with fewer distinct users than minGroupSize loses its
 * dimension values (time buckets are kept when other dimensions are grouped, so a chart over days keeps its days)
 * and is merged with the other small groups of the same time bucket into an "other" row, appended last.
 */
export const foldSmallGroups: GroupSuppression = {
  needs: (requested) => suppressionNeeds(requested) as Measure[],
  apply: (rows, ctx) => fold(rows, { keys: ctx.keys, minGroupSize: ctx.minGroupSize }),
};

/** No suppression (for deployments that turn it off by setting privacy.minGroupSize to 1). */
export const noSuppression: GroupSuppression = { needs: () => [], apply: (rows) => rows };
