// The dashboard's ready-made questions on stream quality: the overview, the worst buildings / subnets / client
// versions and CQD's missing-subnet report; small groups folded for callers who must not see them.
import { getOverview, type Overview } from '../analytics/get-overview.ts';
import { listMissingSubnets } from '../analytics/list-missing-subnets.ts';
import { listWorstBuildings, type WorstOptions } from '../analytics/list-worst-buildings.ts';
import { listWorstClientVersions } from '../analytics/list-worst-client-versions.ts';
import { listWorstSubnets } from '../analytics/list-worst-subnets.ts';
import {
  type Dimension,
  dimensionKey,
  type QualityRow,
  type ReportWindow,
} from '../analytics/quality-query.ts';
import { type QualityOptions, queryQuality } from '../analytics/query-quality.ts';
import type { ReadDb } from '../store/db.ts';
import { askedOf, audited, type Folded, foldFor, mustFold } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

/**
 * A report window's filters may narrow an answer to one person (`user=`): that needs the investigator role and
 * is audited like any other read of individuals.
 */
export async function checkWindow(s: Service, who: Principal, w: ReportWindow): Promise<void> {
  const users = w.filters?.user;
  if (!users?.length) return;
  requireIndividuals(who, 'per-user filters');
  await audited(
    s,
    who,
    'quality.individuals',
    askedOf({ since: w.since, until: w.until, ...Object.fromEntries(Object.entries(w.filters ?? {})) }),
  );
}

/** How the analytics are asked: each grouped row also counts its users when this caller's answer is folded. */
export const foldingOptions = (s: Service, who: Principal): QualityOptions => ({
  withUsers: mustFold(s, who),
});

const keysOf = (by: readonly Dimension[]) => by.map(dimensionKey);

export interface OverviewReport extends Overview {
  suppressed: boolean;
}

export async function overviewReport(s: Service, who: Principal, w: ReportWindow): Promise<OverviewReport> {
  await checkWindow(s, who, w);
  const o = await getOverview(s.store.reads, w, foldingOptions(s, who));
  const byDay = foldFor(s, who, o.byDay, ['day']);
  const byNetworkType = foldFor(s, who, o.byNetworkType, ['networkType']);
  return { ...o, byDay: byDay.rows, byNetworkType: byNetworkType.rows, suppressed: byDay.suppressed };
}

/** The worst-X lists: the subject first, the dimensions that describe it after. */
export const worstLists = {
  buildings: { by: ['building', 'city', 'country'], run: listWorstBuildings },
  subnets: { by: ['subnet', 'building'], run: listWorstSubnets },
  'client-versions': { by: ['client-version', 'product-family'], run: listWorstClientVersions },
} satisfies Record<
  string,
  { by: Dimension[]; run: (db: ReadDb, o: WorstOptions, q: QualityOptions) => Promise<QualityRow[]> }
>;
export type WorstList = keyof typeof worstLists;

export async function worstReport(
  s: Service,
  who: Principal,
  list: WorstList,
  o: WorstOptions,
): Promise<Folded & { by: Dimension[] }> {
  await checkWindow(s, who, o);
  const { by, run } = worstLists[list];
  const rows = await run(s.store.reads, o, foldingOptions(s, who));
  return { ...foldFor(s, who, rows, keysOf(by)), by };
}

/** The missing-subnet report's columns, in the order its CSV and the CLI's table show them. */
export const missingSubnetColumns = [
  'subnet',
  'kind',
  'insideBy',
  'suggestedBuilding',
  'dnsSuffix',
  'streams',
  'classifiedStreams',
  'poorPercent',
] as const;

export async function missingSubnetsReport(
  s: Service,
  who: Principal,
  o: ReportWindow & { minStreams?: number; limit?: number },
): Promise<Folded> {
  await checkWindow(s, who, o);
  const rows = await listMissingSubnets(
    s.store.reads,
    { ...o, homeTenantId: s.config.tenantId ?? null },
    foldingOptions(s, who),
  );
  return foldFor(s, who, rows, ['subnet']);
}

export interface DimensionValue {
  /** As rows and filters spell it; null is unknown (filter with the empty string). */
  value: string | null;
  streams: number;
}

/**
 * The values each dimension takes in the period (most streams first), for the dashboard's filter bar: the period
 * only, not the other filters, so a filter never hides the values that would widen it again. Per-user values
 * need the investigator role.
 */
export async function dimensionValues(
  s: Service,
  who: Principal,
  w: ReportWindow,
  dims: readonly Dimension[],
): Promise<Record<string, DimensionValue[]>> {
  await checkWindow(s, who, w);
  if (dims.includes('user')) requireIndividuals(who, 'user values');
  const out: Record<string, DimensionValue[]> = {};
  await Promise.all(
    dims.map(async (d) => {
      const rows = await queryQuality(s.store.reads, {
        by: [d],
        measures: ['streams'],
        filters: {},
        since: w.since,
        until: w.until,
        limit: 500,
      });
      out[d] = rows.map((r) => ({
        value: (r[dimensionKey(d)] as string | null) ?? null,
        streams: Number(r.streams ?? 0),
      }));
    }),
  );
  return out;
}
