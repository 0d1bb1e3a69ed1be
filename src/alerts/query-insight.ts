// The cause and change sources the alert rules read, over the quality query engine: per dimension value, the poor
// audio streams beyond the rest of the organization's rate (causes); per QER measure, a recent window worse than
// its baseline beyond a two-proportion test, with the values that explain the rise (changes).
import { type Dimension, dimensionKey, dimensions, type Measure } from '../analytics/quality-query.ts';
import { queryQuality } from '../analytics/query-quality.ts';
import type { ReadDb } from '../store/db.ts';
import { lowerBoundPercent } from './checks/quality.ts';
import type { AttributedCause, CauseSource, ChangeSource, DetectedChange } from './observation.ts';

/**
 * Where a cause is looked for: network and device facts an admin can act on (never the user), the most specific
 * first (an access point before its subnet, a driver before its device, the ISP before a home subnet). A dimension
 * this version's query engine does not know is left out rather than failing the rule.
 */
const causeCandidates = [
  'access-point',
  'capture-driver',
  'render-driver',
  'isp',
  'client-version',
  'subnet',
  'capture-device',
  'render-device',
];
export const causeDimensions: Dimension[] = causeCandidates.filter((d): d is Dimension =>
  (dimensions as readonly string[]).includes(d),
);
/** What explains a change: the cause dimensions and the building. */
const changeDimensions: Dimension[] = ['building', ...causeDimensions];

const reasonMeasures = {
  poorDueToJitter: 'jitter',
  poorDueToPacketLoss: 'packet loss',
  poorDueToRoundTrip: 'round trip',
  poorDueToDegradation: 'network degradation',
  poorDueToConcealedRatio: 'concealed samples',
} as const;
type ReasonMeasure = keyof typeof reasonMeasures;

interface Tally {
  streams: number;
  classified: number;
  poor: number;
  setup: number;
  dropped: number;
  reasons: Record<ReasonMeasure, number>;
}

const emptyTally = (): Tally => ({
  streams: 0,
  classified: 0,
  poor: 0,
  setup: 0,
  dropped: 0,
  reasons: {
    poorDueToJitter: 0,
    poorDueToPacketLoss: 0,
    poorDueToRoundTrip: 0,
    poorDueToDegradation: 0,
    poorDueToConcealedRatio: 0,
  },
});

const measures: Measure[] = [
  'streams',
  'classifiedStreams',
  'poorStreams',
  'setupFailedStreams',
  'droppedStreams',
  ...(Object.keys(reasonMeasures) as ReasonMeasure[]),
];

/** Audio tallies in [since, until) per value of `by` (values joined by NUL; '' key for the whole organization). */
async function tallies(
  db: ReadDb,
  by: Dimension[],
  w: { since: number; until: number },
): Promise<Map<string, Tally>> {
  // Grouped by hour as well, so the window is cut at hours rather than stretched to whole days.
  const rows = await queryQuality(db, {
    by: [...by, 'hour'],
    filters: { 'media-type': ['audio'] },
    measures,
    since: w.since,
    until: w.until,
  });
  const keys = by.map(dimensionKey);
  const out = new Map<string, Tally>();
  for (const r of rows) {
    const values = keys.map((key) => String(r[key] ?? ''));
    if (values.some((v) => v === '' || v === 'null')) continue;
    const k = values.join('\u0000');
    const t = out.get(k) ?? emptyTally();
    t.streams += Number(r.streams ?? 0);
    t.classified += Number(r.classifiedStreams ?? 0);
    t.poor += Number(r.poorStreams ?? 0);
    t.setup += Number(r.setupFailedStreams ?? 0);
    t.dropped += Number(r.droppedStreams ?? 0);
    for (const m of Object.keys(reasonMeasures) as ReasonMeasure[]) t.reasons[m] += Number(r[m] ?? 0);
    out.set(k, t);
  }
  return out;
}

/** The reasons behind at least a fifth of a group's poor streams, most frequent first. */
function mainReasons(t: Tally): string[] {
  return (Object.entries(t.reasons) as [ReasonMeasure, number][])
    .filter(([, n]) => n > 0 && n >= t.poor / 5)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([m]) => reasonMeasures[m]);
}

/**
 * A cause's streams outside another cause must keep this share of its excess per stream for it to be named too
 * (the analytics' attribution uses the same 40%): the subnet of one bad access point, a home subnet of a bad ISP.
 */
const residualShare = 0.4;

interface Found {
  cause: AttributedCause;
  /** The poor rate of everything outside it, its expected rate. */
  restRate: number;
  /** Its place in causeDimensions: the more specific dimension first. */
  order: number;
}

/** True when x's streams outside y keep less than residualShare of x's excess per stream (none left: true). */
function explainedBy(x: Found, overlap: Tally): boolean {
  const n = x.cause.streams - overlap.classified;
  const k = x.cause.poorStreams - overlap.poor;
  const residual = n > 0 ? (k - n * x.restRate) / n : 0;
  return residual < residualShare * (x.cause.excessPoorStreams / x.cause.streams);
}

/**
 * Leaves out the causes another one explains, through the cross-tab of each two dimensions: of two causes that
 * explain each other (an access point and its subnet), the smaller group stays, the more specific on a tie.
 */
async function withoutExplained(db: ReadDb, w: { since: number; until: number }, found: Found[]) {
  const dropped = new Set<Found>();
  const dims = [...new Set(found.map((f) => f.cause.parts[0].dimension as Dimension))];
  const of = (d: Dimension) => found.filter((f) => f.cause.parts[0].dimension === d);
  for (let i = 0; i < dims.length; i++)
    for (let j = i + 1; j < dims.length; j++) {
      const cells = await tallies(db, [dims[i], dims[j]], w);
      for (const a of of(dims[i]))
        for (const b of of(dims[j])) {
          const overlap = cells.get(`${a.cause.parts[0].value}\u0000${b.cause.parts[0].value}`);
          if (!overlap || overlap.classified === 0) continue;
          const aByB = explainedBy(a, overlap);
          const bByA = explainedBy(b, overlap);
          if (aByB && bByA) {
            const larger = a.cause.streams - b.cause.streams || a.order - b.order;
            dropped.add(larger > 0 ? a : b);
          } else if (aByB) dropped.add(a);
          else if (bByA) dropped.add(b);
        }
    }
  return found.filter((f) => !dropped.has(f)).map((f) => f.cause);
}

/**
 * Every dimension value whose poor audio rate is above the rest of the organization's beyond chance, unless
 * another such value explains it.
 */
export async function attributeCauses(
  db: ReadDb,
  w: { since: number; until: number },
): Promise<AttributedCause[]> {
  const total = (await tallies(db, [], w)).get('');
  if (!total || total.poor === 0) return [];
  const found: Found[] = [];
  // Two values with the very same streams and poor streams are one group seen twice (a home subnet and its ISP,
  // the one access point of a subnet): only the more specific is named, without a cross-tab.
  const seen = new Set<string>();
  for (const [order, dimension] of causeDimensions.entries())
    for (const [value, t] of await tallies(db, [dimension], w)) {
      const restClassified = total.classified - t.classified;
      if (t.classified === 0 || restClassified <= 0) continue;
      // Compared with everything else: a value that is the whole organization explains nothing by itself.
      const restRate = (total.poor - t.poor) / restClassified;
      const excess = t.poor - t.classified * restRate;
      if (excess <= 0 || lowerBoundPercent(t.poor, t.classified) <= restRate * 100) continue;
      const same = `${t.classified}/${t.poor}`;
      if (seen.has(same)) continue;
      seen.add(same);
      const cause: AttributedCause = {
        parts: [{ dimension, value }],
        streams: t.classified,
        poorStreams: t.poor,
        poorPercent: (t.poor / t.classified) * 100,
        excessPoorStreams: excess,
        sharePercent: (excess / total.poor) * 100,
        reasons: mainReasons(t),
      };
      found.push({ cause, restRate, order });
    }
  const out = await withoutExplained(db, w, found);
  return out.sort((a, b) => b.excessPoorStreams - a.excessPoorStreams);
}

const changeMetrics = [
  {
    metric: 'poorPercent',
    label: 'Audio poor stream rate',
    hits: (t: Tally) => t.poor,
    n: (t: Tally) => t.classified,
  },
  {
    metric: 'setupFailurePercent',
    label: 'Audio setup failure rate',
    hits: (t: Tally) => t.setup,
    n: (t: Tally) => t.streams,
  },
  {
    metric: 'dropFailurePercent',
    label: 'Audio drop rate',
    hits: (t: Tally) => t.dropped,
    n: (t: Tally) => t.streams - t.setup,
  },
] as const;

/** z of a two-proportion test (pooled), positive when the recent rate is higher. */
export function riseZ(hits1: number, n1: number, hits0: number, n0: number): number {
  if (n1 === 0 || n0 === 0) return 0;
  const p = (hits1 + hits0) / (n1 + n0);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0));
  return se === 0 ? 0 : (hits1 / n1 - hits0 / n0) / se;
}

/** Beyond noise: one-sided at 99.5%, since the rule looks every few minutes. */
const zNoise = 2.576;

export async function detectChanges(
  db: ReadDb,
  o: { recent: { since: number; until: number }; baseline: { since: number; until: number } },
): Promise<DetectedChange[]> {
  const recent = (await tallies(db, [], o.recent)).get('') ?? emptyTally();
  const base = (await tallies(db, [], o.baseline)).get('') ?? emptyTally();
  const worse = changeMetrics.filter(
    (m) => riseZ(m.hits(recent), m.n(recent), m.hits(base), m.n(base)) >= zNoise,
  );
  if (worse.length === 0) return [];
  const byDimension = new Map<Dimension, Map<string, Tally>>();
  for (const d of changeDimensions) byDimension.set(d, await tallies(db, [d], o.recent));
  return worse.map((m) => {
    const rate = m.hits(base) / m.n(base);
    const n = m.n(recent);
    const rise = (m.hits(recent) / n - rate) * 100;
    // A value's share of the rise: its hits beyond what the baseline rate would give its volume, in points.
    const explainedBy = [...byDimension]
      .flatMap(([dimension, values]) =>
        [...values].map(([value, t]) => ({
          dimension,
          value,
          points: ((m.hits(t) - m.n(t) * rate) / n) * 100,
        })),
      )
      .filter((e) => e.points >= rise / 5)
      .sort((a, b) => b.points - a.points)
      .slice(0, 5)
      .map((e) => ({ dimension: e.dimension, value: e.value, impact: `+${e.points.toFixed(1)} points` }));
    return {
      metric: m.metric,
      label: m.label,
      recent: (m.hits(recent) / n) * 100,
      baseline: rate * 100,
      unit: '%',
      streams: n,
      explainedBy,
    };
  });
}

export function queryCauseSource(db: ReadDb): CauseSource {
  return { causes: (w) => attributeCauses(db, w) };
}

export function queryChangeSource(db: ReadDb): ChangeSource {
  return { changes: (o) => detectChanges(db, o) };
}
