// "What changed": metrics of a scope that got worse in a recent window than in the baseline window before it, beyond
// noise, each with the dimension values that explain the change, ranked by the events they add.
import type { ReadDb } from '../store/db.ts';
import { type CauseCounts, type Group, queryCounts, type Scope } from './cause-groups.ts';
import { scoreZ, type Tally, twoProportionZ } from './cause-stats.ts';
import type {
  ChangeDriver,
  ChangeQuery,
  ChangeRow,
  ChangesAnswer,
  ChangeThresholds,
  ChangeWindowRate,
} from './cause-types.ts';
import { causeDimensions, causeScope, labelOf } from './find-causes.ts';
import type { Dimension } from './quality-query.ts';

export const defaultChangeThresholds: ChangeThresholds = {
  minZ: 3,
  minChangePoints: 1,
  minStreams: 30,
  minPoor: 5,
  minDriverZ: 3,
};

const rateOf = (t: Tally): ChangeWindowRate => ({
  streams: t.n,
  events: t.k,
  percent: t.n > 0 ? (100 * t.k) / t.n : null,
});

/** The poor streams a value adds in the recent window beyond the rate it had (or, new, the scope had) before. */
export function driverOf(
  recent: Group,
  baseline: Tally | undefined,
  scopeBaselineRate: number,
  scopeChange: number,
  t: ChangeThresholds,
): Omit<ChangeDriver, 'rank'> {
  // A value too rare in the baseline has no rate of its own to speak of: it is measured against the scope's.
  const own = baseline !== undefined && baseline.n >= t.minStreams;
  const rate = own ? baseline.k / baseline.n : scopeBaselineRate;
  const impact = recent.k - recent.n * rate;
  return {
    dimensions: recent.dimensions,
    values: recent.values,
    label: labelOf(recent),
    recent: rateOf(recent),
    baseline: rateOf(baseline ?? { n: 0, k: 0 }),
    baselineOf: own ? 'value' : 'scope',
    impact,
    shareOfChangePercent: scopeChange > 0 ? (100 * impact) / scopeChange : 0,
    z: scoreZ(recent.k, recent.n, rate),
  };
}

/** Ranks what changed in a scope (see docs/analytics.md, "What changed"). */
export async function findChanges(db: ReadDb, q: ChangeQuery): Promise<ChangesAnswer> {
  return findChangesIn(queryCounts(db), q);
}

/** findChanges over any source of counts (hand-made streams in the tests). */
export async function findChangesIn(counts: CauseCounts, q: ChangeQuery): Promise<ChangesAnswer> {
  const t: ChangeThresholds = { ...defaultChangeThresholds, ...q.thresholds };
  const { filters } = causeScope(q);
  const recentScope: Scope = { since: q.since, until: q.until, filters };
  const baselineScope: Scope = { since: q.baselineSince, until: q.since, filters };
  const dims = (q.dimensions ?? causeDimensions(false)).filter(
    (d) => !filters[d]?.length || (d as string) === 'hour-of-day',
  );
  const [recent, baseline] = [await counts.total(recentScope), await counts.total(baselineScope)];
  const baseRate = baseline.n > 0 ? baseline.k / baseline.n : 0;
  const z = twoProportionZ(recent.k, recent.n, baseline.k, baseline.n);
  const row: ChangeRow = {
    metric: 'poor-percent',
    label: 'poor streams %',
    recent: rateOf(recent),
    baseline: rateOf(baseline),
    changePoints: recent.n > 0 && baseline.n > 0 ? 100 * (recent.k / recent.n - baseRate) : 0,
    z,
    worse: false,
    drivers: [],
  };
  row.worse = recent.n > 0 && baseline.n > 0 && z >= t.minZ && row.changePoints >= t.minChangePoints;
  if (row.worse)
    row.drivers = await driversOf(counts, recentScope, baselineScope, dims, baseRate, recent, t, q);
  return {
    recent: { since: q.since, until: q.until },
    baseline: { since: q.baselineSince, until: q.since },
    filters,
    thresholds: t,
    changes: row.worse ? [row] : [],
    unchanged: row.worse ? [] : [row],
  };
}

async function driversOf(
  counts: CauseCounts,
  recentScope: Scope,
  baselineScope: Scope,
  dims: Dimension[],
  baseRate: number,
  recent: Tally,
  t: ChangeThresholds,
  q: ChangeQuery,
): Promise<ChangeDriver[]> {
  const scopeChange = recent.k - recent.n * baseRate;
  const found: Omit<ChangeDriver, 'rank'>[] = [];
  for (const d of dims) {
    const before = new Map((await counts.groups(baselineScope, [d])).map((g) => [g.values[0], g]));
    for (const g of await counts.groups(recentScope, [d])) {
      const driver = driverOf(g, before.get(g.values[0]), baseRate, scopeChange, t);
      if (g.n >= t.minStreams && g.k >= t.minPoor && driver.impact > 0 && driver.z >= t.minDriverZ)
        found.push(driver);
    }
  }
  return found
    .sort((a, b) => b.impact - a.impact || dims.indexOf(a.dimensions[0]) - dims.indexOf(b.dimensions[0]))
    .slice(0, q.limit ?? 10)
    .map((d, i) => ({ rank: i + 1, ...d }));
}
