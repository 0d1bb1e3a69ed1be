// Privacy operations of the database's owner: the residency report, retention now, and the retention run log.
import { getResidency, type ResidencyQuery, type ResidencyReport } from '../analytics/get-residency.ts';
import { type RetentionReport, retentionOptions, runRetention } from '../privacy/retention.ts';
import type { RetentionRun } from '../store/retention-runs.ts';
import { type Principal, requireOwner } from './principal.ts';
import type { Service } from './service.ts';

/** Whose view each record is, and the calls whose full telemetry sits in another tenant (counts and call ids). */
export async function residencyReport(
  s: Service,
  who: Principal,
  q: Omit<ResidencyQuery, 'tenantId' | 'dataLocation'>,
): Promise<ResidencyReport> {
  requireOwner(who, 'the residency report');
  return getResidency(s.store.reads, {
    ...q,
    tenantId: s.config.tenantId,
    dataLocation: s.config.privacy.dataLocation,
  });
}

/** Runs retention once, as of `asOf` (default now): EUII cleared after euiiDays, records removed after recordDays. */
export async function retentionRun(
  s: Service,
  who: Principal,
  o: { asOf?: number; dryRun?: boolean },
): Promise<RetentionReport> {
  requireOwner(who, 'a retention run');
  const asOf = o.asOf ?? s.clock.now();
  return runRetention(s.store, retentionOptions(s.config, s.clock, asOf, o.dryRun ?? false));
}

export interface RetentionStatus {
  euiiDays: number;
  recordDays: number;
  mode: string;
  runs: Array<RetentionRun & { report: RetentionReport | null }>;
}

export async function retentionStatus(s: Service, who: Principal, limit: number): Promise<RetentionStatus> {
  requireOwner(who, 'the retention log');
  const runs = await s.store.retentionRuns.latest(limit);
  const { euiiDays, recordDays, mode } = s.config.privacy;
  return {
    euiiDays,
    recordDays,
    mode,
    runs: runs.map((r) => ({ ...r, report: r.summary ? (JSON.parse(r.summary) as RetentionReport) : null })),
  };
}
