// "What changed": metrics of a scope (poor %, setup and drop failure rates, poor ratings) that got worse in a recent
// window than in the baseline window before it, beyond noise, each with the dimension values that explain it.
import type { ReadDb } from '../store/db.ts';
import type { CauseCounts, Group, Scope } from './cause-groups.ts';
import { scoreZ, type Tally, twoProportionZ } from './cause-stats.ts';
import type {
  ChangeDriver,
  ChangeMetric,
  ChangeQuery,
  ChangeRow,
  ChangesAnswer,
  ChangeThresholds,
  ChangeWindowRate,
} from './cause-types.ts';
import { explainDrivers } from './change-explained.ts';
import { causeDimensions, labelOf } from './find-causes.ts';
import { getFeedbackSummary } from './get-feedback-summary.ts';
import type { Dimension } from './quality-query.ts';
import { cubeCounts } from './scope-cube.ts';

export const defaultChangeThresholds: ChangeThresholds = {
  minZ: 3,
  minChangePoints: 1,
  minStreams: 30,
  minPoor: 5,
  minDriverZ: 3,
};

/** Each metric as events of trials of a group: what a rate of it counts. */
const streamMetrics: { metric: ChangeMetric; label: string; of: (g: Group) => Tally }[] = [
  { metric: 'poor-percent', label: 'poor streams %', of: (g) => ({ n: g.n, k: g.k }) },
  {
    metric: 'setup-failure-percent',
    label: 'setup failures % (of streams)',
    of: (g) => ({ n: g.streams, k: g.setupFailed }),
  },
  {
    // As the QER guide counts drops: of the streams that set up.
    metric: 'drop-failure-percent',
    label: 'drop failures % (of streams set up)',
    of: (g) => ({ n: g.streams - g.setupFailed, k: g.dropped }),
  },
];

const rateOf = (t: Tally): ChangeWindowRate => ({
  streams: t.n,
  events: t.k,
  percent: t.n > 0 ? (100 * t.k) / t.n : null,
});

/** The events a value adds in the recent window beyond the rate it had (or, new, the scope had) before. */
export function driverOf(
  recent: Group,
  of: (g: Group) => Tally,
  baseline: Group | undefined,
  scopeBaselineRate: number,
  scopeChange: number,
  t: ChangeThresholds,
): Omit<ChangeDriver, 'rank'> {
  const r = of(recent);
  const b = baseline ? of(baseline) : { n: 0, k: 0 };
  // A value too rare in the baseline has no rate of its own to speak of: it is measured against the scope's.
  const own = b.n >= t.minStreams;
  const rate = own ? b.k / b.n : scopeBaselineRate;
  const impact = r.k - r.n * rate;
  return {
    dimensions: recent.dimensions,
    values: recent.values,
    label: labelOf(recent),
    recent: rateOf(r),
    baseline: rateOf(b),
    baselineOf: own ? 'value' : 'scope',
    impact,
    shareOfChangePercent: scopeChange > 0 ? (100 * impact) / scopeChange : 0,
    z: scoreZ(r.k, r.n, rate),
    users: recent.users,
  };
}

/** One metric's recent rate against its baseline, judged worse or not. */
function compare(
  metric: ChangeMetric,
  label: string,
  recent: Tally,
  baseline: Tally,
  t: ChangeThresholds,
): Omit<ChangeRow, 'mediaType'> {
  const baseRate = baseline.n > 0 ? baseline.k / baseline.n : 0;
  const z = twoProportionZ(recent.k, recent.n, baseline.k, baseline.n);
  const changePoints = recent.n > 0 && baseline.n > 0 ? 100 * (recent.k / recent.n - baseRate) : 0;
  return {
    metric,
    label,
    recent: rateOf(recent),
    baseline: rateOf(baseline),
    changePoints,
    z,
    worse: recent.n > 0 && baseline.n > 0 && z >= t.minZ && changePoints >= t.minChangePoints,
    drivers: [],
    explained: [],
  };
}

/** Ranks what changed in a scope (see docs/analytics.md, "What changed"). */
export async function findChanges(db: ReadDb, q: ChangeQuery): Promise<ChangesAnswer> {
  // Ratings are kept per call, not per stream value: compared for the organization only.
  const unfiltered = Object.keys(q.filters).every((d) => d === 'media-type');
  const ratings = unfiltered
    ? async (w: { since: number; until: number }) => {
        const f = await getFeedbackSummary(db, w);
        const rated = f.ratings.filter((r) => r.rating !== 'notRated');
        const poor = rated.filter((r) => r.rating === 'bad' || r.rating === 'poor');
        return { n: rated.reduce((a, r) => a + r.count, 0), k: poor.reduce((a, r) => a + r.count, 0) };
      }
    : undefined;
  return findChangesIn(cubeCounts(db), q, ratings);
}

/** The media scopes compared: the one filtered, else each media type CQD classifies (a video-only regression shows). */
const mediaScopes = (filters: ChangeQuery['filters']): string[][] =>
  filters['media-type']?.length ? [filters['media-type']] : [['audio'], ['video'], ['vbss']];

const mediaNames: Record<string, string> = { audio: 'audio', video: 'video', vbss: 'screen sharing' };

/** findChanges over any source of counts (hand-made streams in the tests); `ratings` counts rated and poor ratings. */
export async function findChangesIn(
  counts: CauseCounts,
  q: ChangeQuery,
  ratings?: (w: { since: number; until: number }) => Promise<Tally>,
): Promise<ChangesAnswer> {
  const t: ChangeThresholds = { ...defaultChangeThresholds, ...q.thresholds };
  const { filters } = q;
  const scopes = mediaScopes(q.filters).map((media, i) => {
    const f = { ...q.filters, 'media-type': media };
    return {
      media,
      // Failures are counted once, on the first media scope (audio: every call has it, as the QER counts calls).
      metrics: i === 0 ? streamMetrics : streamMetrics.slice(0, 1),
      recent: { since: q.since, until: q.until, filters: f } as Scope,
      baseline: { since: q.baselineSince, until: q.since, filters: f } as Scope,
    };
  });
  // Hours and weekdays say when, not what changed: a weekly change is never "because of Wednesday".
  const dims = (q.dimensions ?? causeDimensions(false)).filter(
    (d) => !filters[d]?.length && !['hour-of-day', 'weekday'].includes(d),
  );
  const rows: ChangeRow[] = [];
  for (const sc of scopes) {
    const [recent, baseline] = [await counts.total(sc.recent), await counts.total(sc.baseline)];
    const worse: { row: ChangeRow; of: (g: Group) => Tally }[] = [];
    for (const m of sc.metrics) {
      const label =
        m.metric === 'poor-percent'
          ? `poor ${sc.media.map((x) => mediaNames[x] ?? x).join('+')} streams %`
          : m.label;
      const row = { ...compare(m.metric, label, m.of(recent), m.of(baseline), t), mediaType: sc.media };
      rows.push(row);
      if (row.worse) worse.push({ row, of: m.of });
    }
    if (worse.length === 0) continue;
    // The values of each dimension, counted once in each window, serve every metric of the scope that got worse.
    const byDim = new Map<Dimension, { recent: Group[]; before: Map<string, Group> }>();
    for (const d of dims) {
      const before = new Map((await counts.groups(sc.baseline, [d])).map((g) => [g.values[0], g]));
      byDim.set(d, { recent: await counts.groups(sc.recent, [d]), before });
    }
    for (const w of worse) {
      const found = driversOf(w.of, byDim, dims, w.of(recent), w.of(baseline), t);
      const b = w.of(baseline);
      // The cross-tabs count classified and poor streams: specificity is judged for poor % only.
      const split =
        w.row.metric === 'poor-percent'
          ? await explainDrivers(found, b.n > 0 ? b.k / b.n : 0, (x, y) => counts.cross(sc.recent, x, y))
          : { standing: found, explained: [] };
      w.row.drivers = split.standing.slice(0, q.limit ?? 10).map((d, i) => ({ rank: i + 1, ...d }));
      w.row.explained = split.explained.map((d) => ({ rank: 0, ...d }));
    }
  }
  if (ratings) {
    const [r, b] = [
      await ratings({ since: q.since, until: q.until }),
      await ratings({ since: q.baselineSince, until: q.since }),
    ];
    rows.push({
      ...compare('poor-rating-percent', 'poor or bad call ratings % (of rated)', r, b, t),
      mediaType: [],
    });
  }
  return {
    recent: { since: q.since, until: q.until },
    baseline: { since: q.baselineSince, until: q.since },
    filters,
    thresholds: t,
    changes: rows.filter((r) => r.worse).sort((a, b) => b.z - a.z),
    unchanged: rows.filter((r) => !r.worse),
    hiddenSmallGroups: 0,
  };
}

function driversOf(
  of: (g: Group) => Tally,
  byDim: Map<Dimension, { recent: Group[]; before: Map<string, Group> }>,
  dims: Dimension[],
  recent: Tally,
  baseline: Tally,
  t: ChangeThresholds,
): Omit<ChangeDriver, 'rank'>[] {
  const baseRate = baseline.n > 0 ? baseline.k / baseline.n : 0;
  const scopeChange = recent.k - recent.n * baseRate;
  const found: Omit<ChangeDriver, 'rank'>[] = [];
  for (const [, groups] of byDim) {
    for (const g of groups.recent) {
      const driver = driverOf(g, of, groups.before.get(g.values[0]), baseRate, scopeChange, t);
      const { n, k } = of(g);
      // A value every recent stream has (one client version everywhere) is the scope itself: it names no place.
      if (n >= recent.n) continue;
      if (n >= t.minStreams && k >= t.minPoor && driver.impact > 0 && driver.z >= t.minDriverZ)
        found.push(driver);
    }
  }
  return found.sort(
    (a, b) => b.impact - a.impact || dims.indexOf(a.dimensions[0]) - dims.indexOf(b.dimensions[0]),
  );
}
