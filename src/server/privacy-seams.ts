// The server's privacy seams: an audit hook for investigator reads of EUII and small-group suppression for
// viewers. Defaults live here; src/privacy can pass its own implementations to createApp.
import type { DimensionKey, Measure, QualityRow } from '../analytics/quality-query.ts';
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

/** Value a folded group's non-time dimensions take. */
export const otherGroup = 'other';

const timeKeys: ReadonlySet<string> = new Set(['day', 'hour']);
const additive: ReadonlySet<string> = new Set([
  'streams',
  'classifiedStreams',
  'unclassifiedStreams',
  'poorStreams',
  'poorDueToJitter',
  'poorDueToRoundTrip',
  'poorDueToPacketLoss',
  'poorDueToDegradation',
  'poorDueToConcealedRatio',
  'poorDueToFrameLoss',
  'poorDueToFrameRate',
  'poorDueToPostFecPacketLoss',
  'streamMinutes',
  'setupFailedStreams',
  'droppedStreams',
]);

const pct = (num: unknown, den: unknown): number | null =>
  typeof num === 'number' && typeof den === 'number' && den > 0 ? (100 * num) / den : null;

/** Recomputes the rate measures of a folded row from its summed counts; others that cannot be summed go null. */
function finishFolded(row: Record<string, unknown>, measures: readonly string[]): void {
  for (const m of measures) {
    if (additive.has(m)) continue;
    if (m === 'poorPercent') row[m] = pct(row.poorStreams, row.classifiedStreams);
    else if (m === 'setupFailurePercent') row[m] = pct(row.setupFailedStreams, row.streams);
    else if (m === 'dropFailurePercent')
      row[m] = pct(
        row.droppedStreams,
        typeof row.streams === 'number' && typeof row.setupFailedStreams === 'number'
          ? row.streams - row.setupFailedStreams
          : null,
      );
    // Averages, percentiles, distinct users and calls cannot be added up across groups: say "unknown".
    else row[m] = null;
  }
}

/**
 * The default suppression: a group with fewer distinct users than minGroupSize loses its dimension values
 * (time buckets are kept when other dimensions are grouped, so a chart over days keeps its days) and is
 * merged with the other small groups of the same time bucket into an "other" row, appended last.
 */
export const foldSmallGroups: GroupSuppression = {
  needs(requested) {
    const out: Measure[] = ['users'];
    if (requested.includes('poorPercent')) out.push('poorStreams', 'classifiedStreams');
    if (requested.includes('setupFailurePercent') || requested.includes('dropFailurePercent'))
      out.push('streams', 'setupFailedStreams', 'droppedStreams');
    return [...new Set(out)];
  },
  apply(rows, { keys, minGroupSize }) {
    if (minGroupSize <= 1 || rows.length === 0) return rows;
    const onlyTime = keys.every((k) => timeKeys.has(k));
    const kept: QualityRow[] = [];
    const folded = new Map<string, Record<string, unknown>>();
    const measures = Object.keys(rows[0]).filter((k) => !(keys as readonly string[]).includes(k));
    for (const row of rows) {
      const users = row.users;
      if (typeof users === 'number' && users >= minGroupSize) {
        kept.push(row);
        continue;
      }
      const groupKey = keys
        .map((k) => (timeKeys.has(k) && !onlyTime ? String(row[k]) : otherGroup))
        .join('\u0000');
      let target = folded.get(groupKey);
      if (!target) {
        target = {};
        for (const k of keys) target[k] = timeKeys.has(k) && !onlyTime ? row[k] : otherGroup;
        for (const m of measures) target[m] = additive.has(m) ? 0 : null;
        folded.set(groupKey, target);
      }
      for (const m of measures)
        if (additive.has(m))
          target[m] = (target[m] as number) + (typeof row[m] === 'number' ? (row[m] as number) : 0);
    }
    for (const row of folded.values()) {
      finishFolded(row, measures);
      kept.push(row as QualityRow);
    }
    return kept;
  },
};

/** No suppression (for deployments that turn it off by setting privacy.minGroupSize to 1). */
export const noSuppression: GroupSuppression = { needs: () => [], apply: (rows) => rows };
