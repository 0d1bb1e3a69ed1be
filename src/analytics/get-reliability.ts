// Reliability: setup failure rate (setup-failed streams / all streams) and drop failure rate (dropped streams /
// streams set up), audio unless told otherwise; per day, network type, building and client version, with each
// failure placed on the client's network (list-failed-streams.ts), the reasons behind them counted in the same
// streams, and the user or policy outcomes (declined, busy...) that are not failures, counted apart.
import { classifyFailure, type FailureClass, isOutcome } from '../quality/failure-reasons.ts';
import type { ReadDb } from '../store/db.ts';
import {
  type Attribution,
  type FailedStream,
  inferenceWindowMs,
  listFailedStreams,
} from './list-failed-streams.ts';
import { periodBounds } from './period-bounds.ts';
import type { Dimension, QualityOrder, QualityRow, ReportWindow } from './quality-query.ts';
import { columnQuery, type QualityOptions } from './query-quality.ts';
import { queryReliability } from './query-reliability.ts';

/** The QER guide's overall targets (percent), drawn as lines on the charts. */
export const reliabilityTargets = { setupFailurePercent: 1, dropFailurePercent: 3 } as const;

export interface ReliabilityReason {
  stage: 'callSetup' | 'midcall';
  reason: string | null;
  reasonClass: FailureClass;
  /** Failed streams (the unit of the rates). */
  count: number;
  /** Share of that stage's failed streams, percent. */
  percent: number;
}

export interface ReliabilityOutcome {
  stage: string;
  reason: string | null;
  reasonClass: FailureClass;
  /** Failed sessions or segments (no stream was set up, so none is counted). */
  sessions: number;
}

export interface Reliability {
  totals: QualityRow;
  targets: typeof reliabilityTargets;
  byDay: QualityRow[];
  byNetworkType: QualityRow[];
  byBuilding: QualityRow[];
  byClientVersion: QualityRow[];
  /** Failures by reason, in failed streams, commonest first. */
  reasons: ReliabilityReason[];
  /** Declines, cancels, busy, no answer and policy blocks: outcomes, left out of every rate. */
  outcomes: ReliabilityOutcome[];
  /** Where the failures in scope got their network from. */
  attribution: {
    failedStreams: number;
    fromRecord: number;
    inferred: number;
    unknown: number;
    /** unknown / failedStreams × 100. */
    unknownPercent: number | null;
    inferenceWindowHours: number;
  };
}

/** The failed streams whose placed dimensions pass the window's filters. */
export function failuresInScope(failed: FailedStream[], filters: ReportWindow['filters']): FailedStream[] {
  const cq = columnQuery({ by: [], filters: filters ?? {} });
  return failed.filter((f) => {
    for (const [col, values] of cq.filters)
      if (!values.some((v) => String(f.placed[col] ?? '') === String(v) || Number(f.placed[col]) === v))
        return false;
    return true;
  });
}

async function outcomes(db: ReadDb, w: ReportWindow): Promise<ReliabilityOutcome[]> {
  // The period's own bounds (whole hours, period.ts): the same calls the stream facts' hour buckets hold.
  const { conds, params } = periodBounds('c.start_time', w);
  const time = conds.length ? ` AND ${conds.join(' AND ')}` : '';
  // A segment's failure is also its session's (Graph propagates it up): count segments, and sessions without any.
  const rows = await db.all<{ stage: string; reason: string | null; n: number }>(
    `SELECT g.failure_stage AS stage, g.failure_reason AS reason, COUNT(*) AS n FROM calls c JOIN call_segments g ON g.call_id = c.id WHERE g.failure_stage IS NOT NULL${time} GROUP BY g.failure_stage, g.failure_reason
     UNION ALL
     SELECT s.failure_stage AS stage, s.failure_reason AS reason, COUNT(*) AS n FROM calls c JOIN call_sessions s ON s.call_id = c.id WHERE s.failure_stage IS NOT NULL${time} AND NOT EXISTS (SELECT 1 FROM call_segments g WHERE g.call_id = s.call_id AND g.session_idx = s.session_idx) GROUP BY s.failure_stage, s.failure_reason`,
    [...params, ...params],
  );
  const sums = new Map<string, ReliabilityOutcome>();
  for (const r of rows) {
    if (!isOutcome(r.reason)) continue;
    const k = JSON.stringify([r.stage, r.reason]);
    const o = sums.get(k) ?? {
      stage: r.stage,
      reason: r.reason,
      reasonClass: classifyFailure(r.reason),
      sessions: 0,
    };
    o.sessions += Number(r.n);
    sums.set(k, o);
  }
  return [...sums.values()].sort((a, b) => b.sessions - a.sessions);
}

function reasonsOf(failed: FailedStream[]): ReliabilityReason[] {
  const byStage = { callSetup: 0, midcall: 0 };
  const sums = new Map<string, ReliabilityReason>();
  for (const f of failed) {
    byStage[f.stage]++;
    const k = JSON.stringify([f.stage, f.reason]);
    const r = sums.get(k) ?? {
      stage: f.stage,
      reason: f.reason,
      reasonClass: f.reasonClass,
      count: 0,
      percent: 0,
    };
    r.count++;
    sums.set(k, r);
  }
  return [...sums.values()]
    .map((r) => ({ ...r, percent: (r.count / byStage[r.stage]) * 100 }))
    .sort((a, b) => b.count - a.count || String(a.reason).localeCompare(String(b.reason)))
    .slice(0, 20);
}

export async function getReliability(
  db: ReadDb,
  w: ReportWindow = {},
  options: QualityOptions = {},
): Promise<Reliability> {
  const filters = { 'media-type': ['audio'], ...(w.filters ?? {}) };
  const failed = await listFailedStreams(db, w);
  const by = (d: Dimension, orderBy?: QualityOrder[]) =>
    queryReliability(db, { by: [d], filters, since: w.since, until: w.until, orderBy }, failed, options);
  const worst: QualityOrder[] = [
    { key: 'setupFailurePercent', direction: 'desc' },
    { key: 'streams', direction: 'desc' },
  ];
  const [totals, byDay, byNetworkType, byBuilding, byClientVersion, outcomeRows] = await Promise.all([
    queryReliability(db, { by: [], filters, since: w.since, until: w.until }, failed, options),
    by('day', [{ key: 'day', direction: 'asc' }]),
    by('network-type', worst),
    by('building', worst),
    by('client-version', worst),
    outcomes(db, w),
  ]);
  const scoped = failuresInScope(failed, filters);
  const count = (a: Attribution) => scoped.filter((f) => f.attribution === a).length;
  return {
    totals: totals[0] ?? {
      streams: 0,
      setupFailedStreams: 0,
      droppedStreams: 0,
      setupFailurePercent: null,
      dropFailurePercent: null,
    },
    targets: reliabilityTargets,
    byDay,
    byNetworkType,
    byBuilding,
    byClientVersion,
    reasons: reasonsOf(scoped),
    outcomes: outcomeRows,
    attribution: {
      failedStreams: scoped.length,
      fromRecord: count('record'),
      inferred: count('inferred'),
      unknown: count('unknown'),
      unknownPercent: scoped.length ? (count('unknown') / scoped.length) * 100 : null,
      inferenceWindowHours: inferenceWindowMs / 3_600_000,
    },
  };
}
