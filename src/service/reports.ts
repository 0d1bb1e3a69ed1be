// Reliability, Rate My Call feedback, PSTN and Direct Routing, and the QER targets, for a caller.
import { type FeedbackSummary, getFeedbackSummary } from '../analytics/get-feedback-summary.ts';
import { getPstnSummary, type PstnSummary } from '../analytics/get-pstn-summary.ts';
import { getQualityTargets, type TargetResult } from '../analytics/get-quality-targets.ts';
import { getReliability, type Reliability } from '../analytics/get-reliability.ts';
import {
  type DirectRoutingCallRow,
  listDirectRoutingCalls,
  listPstnCalls,
  type PstnCallList,
  type PstnCallRow,
  type PstnListQuery,
} from '../analytics/list-pstn-calls.ts';
import type { ReportWindow } from '../analytics/quality-query.ts';
import { checkWindow, foldingOptions } from './dashboard.ts';
import { askedOf, audited, foldFor } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
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
  const r = await getReliability(s.store.reads, w, foldingOptions(s, who));
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
  return getFeedbackSummary(s.store.reads, { since: w.since, until: w.until });
}

export async function pstnReport(
  s: Service,
  _who: Principal,
  w: Pick<ReportWindow, 'since' | 'until'>,
): Promise<PstnSummary> {
  return getPstnSummary(s.store.reads, { since: w.since, until: w.until });
}

const askedList = (q: PstnListQuery) =>
  askedOf({ since: q.since, until: q.until, user: q.user, limit: q.limit, offset: q.offset });

/** Calling Plan and Operator Connect calls one by one (users and phone numbers): investigators, audited. */
export async function pstnCallList(
  s: Service,
  who: Principal,
  q: PstnListQuery,
): Promise<PstnCallList<PstnCallRow>> {
  requireIndividuals(who, 'PSTN calls one by one');
  const list = await listPstnCalls(s.store.reads, q);
  await audited(s, who, 'pstn.calls', askedList(q), list.calls.length);
  return list;
}

/** Direct Routing calls one by one (users, numbers, SBC, final SIP code): investigators, audited. */
export async function directRoutingCallList(
  s: Service,
  who: Principal,
  q: PstnListQuery,
): Promise<PstnCallList<DirectRoutingCallRow>> {
  requireIndividuals(who, 'Direct Routing calls one by one');
  const list = await listDirectRoutingCalls(s.store.reads, q);
  await audited(s, who, 'directRouting.calls', askedList(q), list.calls.length);
  return list;
}

export async function qerTargetsReport(s: Service, who: Principal, w: ReportWindow): Promise<TargetResult[]> {
  await checkWindow(s, who, w);
  return getQualityTargets(s.store.reads, w);
}
