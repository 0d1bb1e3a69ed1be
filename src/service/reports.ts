// Reliability, Rate My Call feedback, PSTN and Direct Routing, and the QER targets, for a caller.
import { type FeedbackSummary, getFeedbackSummary } from '../analytics/get-feedback-summary.ts';
import { getPstnSummary, type PstnSummary } from '../analytics/get-pstn-summary.ts';
import { getQualityTargets, type TargetResult } from '../analytics/get-quality-targets.ts';
import { getReliability, type Reliability } from '../analytics/get-reliability.ts';
import type { ReportWindow } from '../analytics/quality-query.ts';
import { checkWindow, foldingOptions } from './dashboard.ts';
import { foldFor } from './policy.ts';
import type { Principal } from './principal.ts';
import type { Service } from './service.ts';

export interface ReliabilityReport extends Reliability {
  suppressed: boolean;
}

export async function reliabilityReport(
  s: Service,
  who: Principal,
  w: ReportWindow,
): Promise<ReliabilityReport> {
  await checkWindow(s, who, w);
  const r = await getReliability(s.store.db, w, foldingOptions(s, who));
  const byDay = foldFor(s, who, r.byDay, ['day']);
  const byNetworkType = foldFor(s, who, r.byNetworkType, ['networkType']);
  const byBuilding = foldFor(s, who, r.byBuilding, ['building']);
  const byClientVersion = foldFor(s, who, r.byClientVersion, ['clientVersion']);
  return {
    ...r,
    byDay: byDay.rows,
    byNetworkType: byNetworkType.rows,
    byBuilding: byBuilding.rows,
    byClientVersion: byClientVersion.rows,
    suppressed: byDay.suppressed || byBuilding.suppressed || byClientVersion.suppressed,
  };
}

/** Ratings and ticked tokens are counts over everyone rated in the period: no one's own answer. */
export async function feedbackReport(
  s: Service,
  _who: Principal,
  w: Pick<ReportWindow, 'since' | 'until'>,
): Promise<FeedbackSummary> {
  return getFeedbackSummary(s.store.db, { since: w.since, until: w.until });
}

export async function pstnReport(
  s: Service,
  _who: Principal,
  w: Pick<ReportWindow, 'since' | 'until'>,
): Promise<PstnSummary> {
  return getPstnSummary(s.store.db, { since: w.since, until: w.until });
}

export async function qerTargetsReport(s: Service, who: Principal, w: ReportWindow): Promise<TargetResult[]> {
  await checkWindow(s, who, w);
  return getQualityTargets(s.store.db, w);
}
