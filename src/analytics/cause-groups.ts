// The counts cause attribution reads, all through the quality query engine: the scope's total, each value of one
// dimension, and the cross-tab of two dimensions (how the streams of two groups overlap).
import type { ReadDb } from '../store/db.ts';
import { reasonMeasures, reasonNames, type Tally } from './cause-stats.ts';
import type { CauseReason } from './cause-types.ts';
import { type Dimension, dimensionKey, type Measure, type QualityQuery } from './quality-query.ts';
import { queryQuality } from './query-quality.ts';

export interface Scope {
  since?: number;
  until?: number;
  filters: QualityQuery['filters'];
}

/** One group of streams: the values of its dimensions and its counts. */
export interface Group extends Tally {
  dimensions: Dimension[];
  values: string[];
  streams: number;
  users: number;
  /** Streams whose call never set up, and streams that set up and dropped (the failure rates of "what changed"). */
  setupFailed: number;
  dropped: number;
  reasons: Record<string, number>;
}

const detailMeasures: Measure[] = [
  'streams',
  'classifiedStreams',
  'poorStreams',
  'users',
  'setupFailedStreams',
  'droppedStreams',
  ...reasonMeasures,
];

function groupOf(row: Record<string, unknown>, by: Dimension[], keepUnknown = false): Group | null {
  const values = by.map((d) => row[dimensionKey(d)]);
  const unknown = (v: unknown) => v === null || v === undefined || v === '';
  // An unknown value (no building, no client version reported) names no place to act on.
  if (!keepUnknown && values.some(unknown)) return null;
  return {
    dimensions: by,
    values: values.map((v) => (unknown(v) ? '' : String(v))),
    n: Number(row.classifiedStreams ?? 0),
    k: Number(row.poorStreams ?? 0),
    streams: Number(row.streams ?? 0),
    users: Number(row.users ?? 0),
    setupFailed: Number(row.setupFailedStreams ?? 0),
    dropped: Number(row.droppedStreams ?? 0),
    reasons: Object.fromEntries(reasonMeasures.map((m) => [m, Number(row[m] ?? 0)])),
  };
}

/**
 * Where attribution reads its counts: the quality query engine (queryCounts), or hand-made streams in tests.
 * `cross` is keyed `a\u0000b` by the two dimensions' values.
 */
export interface CauseCounts {
  /** `keepUnknown`: rows with an unknown value are kept, the value ''. */
  groups(scope: Scope, by: Dimension[], keepUnknown?: boolean): Promise<Group[]>;
  total(scope: Scope): Promise<Group>;
  cross(scope: Scope, a: Dimension, b: Dimension): Promise<Map<string, Tally>>;
  /** The streams of `inside` in none of `others`, and the rest of the scope in none of them. */
  outside(scope: Scope, inside: Where, others: readonly Where[]): Promise<{ inside: Tally; rest: Tally }>;
}

/** The streams a group holds: per dimension, the values it allows (a stream matches every entry). */
export type Where = readonly (readonly [Dimension, readonly string[]])[];

export function queryCounts(db: ReadDb): CauseCounts {
  const counts: CauseCounts = {
    groups: (scope, by, keepUnknown) => groupsBy(db, scope, by, keepUnknown),
    total: (scope) => scopeTotal(db, scope),
    cross: (scope, a, b) => crossTab(db, scope, a, b),
    outside: (scope, inside, others) => outsideByGroups(counts, scope, inside, others),
  };
  return counts;
}

/** `outside` from one grouping by every dimension the groups name (unknown values kept, matching none). */
export async function outsideByGroups(
  counts: Pick<CauseCounts, 'groups'>,
  scope: Scope,
  inside: Where,
  others: readonly Where[],
): Promise<{ inside: Tally; rest: Tally }> {
  const dims = [...new Set([inside, ...others].flatMap((w) => w.map(([d]) => d)))];
  const member = (w: Where) => {
    const at = w.map(([d, vs]) => [dims.indexOf(d), vs] as const);
    return (values: string[]) => at.every(([i, vs]) => vs.includes(values[i]));
  };
  const inOthers = others.map(member);
  const inThis = member(inside);
  const out = { inside: { n: 0, k: 0 }, rest: { n: 0, k: 0 } };
  for (const g of await counts.groups(scope, dims, true)) {
    if (inOthers.some((is) => is(g.values))) continue;
    const into = inThis(g.values) ? out.inside : out.rest;
    into.n += g.n;
    into.k += g.k;
  }
  return out;
}

/** Every known value of `by` in the scope, with its counts, users and poor reasons. */
async function groupsBy(db: ReadDb, scope: Scope, by: Dimension[], keepUnknown = false): Promise<Group[]> {
  const rows = await queryQuality(db, { ...scope, by, measures: detailMeasures });
  return rows.map((r) => groupOf(r, by, keepUnknown)).filter((g): g is Group => g !== null);
}

/** The scope's own total. */
async function scopeTotal(db: ReadDb, scope: Scope): Promise<Group> {
  const [row] = await queryQuality(db, { ...scope, by: [], measures: detailMeasures });
  return groupOf(row ?? {}, []) as Group;
}

/** Classified and poor streams per pair of values of two dimensions, keyed `a\u0000b`. */
async function crossTab(db: ReadDb, scope: Scope, a: Dimension, b: Dimension): Promise<Map<string, Tally>> {
  const rows = await queryQuality(db, {
    ...scope,
    by: [a, b],
    measures: ['classifiedStreams', 'poorStreams'],
  });
  const out = new Map<string, Tally>();
  for (const r of rows) {
    const va = r[dimensionKey(a)];
    const vb = r[dimensionKey(b)];
    if (va === null || vb === null || va === undefined || vb === undefined) continue;
    out.set(`${va}\u0000${vb}`, { n: Number(r.classifiedStreams ?? 0), k: Number(r.poorStreams ?? 0) });
  }
  return out;
}

/** The reasons behind a group's poor streams, most frequent first, at most three. */
export function topReasons(g: Pick<Group, 'reasons'>): CauseReason[] {
  return Object.entries(g.reasons)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3)
    .map(([measure, poorStreams]) => ({
      measure,
      reason: reasonNames[measure as keyof typeof reasonNames] ?? measure,
      poorStreams,
    }));
}
