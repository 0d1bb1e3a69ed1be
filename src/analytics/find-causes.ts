// "Where is the problem?": the dimension values (and pairs of values) with the most poor streams beyond the scope's
// normal rate, each significant, the most specific explanation kept and what it explains listed apart.
import type { ReadDb } from '../store/db.ts';
import { concentratedPart, expandHours, secondsFor } from './cause-combinations.ts';
import { type CauseCounts, type Group, type Scope, topReasons } from './cause-groups.ts';
import { explainLookAlikes, ownProblemOutside } from './cause-look-alikes.ts';
import { type Candidate, selectCauses } from './cause-selection.ts';
import {
  type CauseThresholds,
  defaultThresholds,
  scoreZ,
  type Tally,
  twoProportionZ,
} from './cause-stats.ts';
import type { CauseQuery, CauseRow, CausesAnswer } from './cause-types.ts';
import { type Dimension, dimensions } from './quality-query.ts';
import { cubeCounts } from './scope-cube.ts';

/** Never candidates: time buckets of the period itself; the scope's media type and direction are optional ones. */
const notCauses = new Set<string>(['day', 'hour', 'user', 'media-type', 'direction', 'call-type']);

/** Every dimension of the query engine that can name a cause (`user` only when asked, for investigators). */
export function causeDimensions(includeUsers = false): Dimension[] {
  return dimensions.filter((d) => !notCauses.has(d) || (includeUsers && d === 'user'));
}

/** At most this many single values go on to the pairwise comparison (the largest excess first). */
const maxCandidates = 120;

const idOf = (g: Pick<Group, 'dimensions' | 'values'>) =>
  g.dimensions.map((d, i) => `${d}=${g.values[i]}`).join('&');

export function labelOf(g: Pick<Group, 'dimensions' | 'values'>): string {
  return g.dimensions.map((d, i) => `${i ? 'at ' : ''}${d} ${g.values[i]}`).join(' ');
}

/** The scope a query names: audio unless a media type is filtered. */
export function causeScope(q: Pick<CauseQuery, 'since' | 'until' | 'filters'>): Scope {
  const filters = { ...q.filters };
  if (!filters['media-type']?.length) filters['media-type'] = ['audio'];
  return { since: q.since, until: q.until, filters };
}

function judge(g: Group, total: Group): Omit<Candidate, 'order' | 'explainers' | 'overlaps'> {
  const restN = total.n - g.n;
  const restK = total.k - g.k;
  const expectedRate = restN > 0 ? restK / restN : 0;
  return {
    group: g,
    tally: { n: g.n, k: g.k },
    expectedRate,
    excess: g.k - g.n * expectedRate,
    z: restN > 0 ? twoProportionZ(g.k, g.n, restK, restN) : 0,
  };
}

const significant = (
  c: Omit<Candidate, 'order' | 'explainers' | 'overlaps'>,
  t: CauseThresholds,
  total: Group,
) =>
  c.tally.n >= t.minStreams && c.tally.k >= t.minPoor && c.z >= t.minZ && c.excess > 0 && c.tally.n < total.n;

/** The dashboard views of a group's users and calls: the scope's filters, the group's values, the period. */
function linksOf(scope: Scope, where: Partial<Record<Dimension, string[]>>): CauseRow['links'] {
  const q = new URLSearchParams();
  for (const [d, vs] of Object.entries({ ...scope.filters, ...where }))
    if (vs?.length) q.set(d, vs.join(','));
  if (scope.since !== undefined) q.set('since', new Date(scope.since).toISOString());
  if (scope.until !== undefined) q.set('until', new Date(scope.until).toISOString());
  return { users: `#/users?${q}`, calls: `#/calls?${q}` };
}

/** Places that can be bad only at some hours (a subnet congested at peak, a crowded access point). */
const hourPlaces: Dimension[] = ['subnet', 'access-point', 'building'];
/** z such a part needs: every value's hour ranges are tried, so a much stricter bar than a candidate's. */
const hiddenZ = 5;

/**
 * Places bad at some hours only, too diluted over the day to be candidates: the hours worse than the rest rate
 * (merged into a range) holding the place's excess, counted exactly and kept when z ≥ hiddenZ. The most specific
 * place names a problem at some hours: a building at the hours of its congested subnet is that subnet.
 */
async function hiddenAtHours(
  counts: CauseCounts,
  scope: Scope,
  total: Group,
  t: CauseThresholds,
  candidates: Candidate[],
  combos: Candidate[],
  dims: Dimension[],
): Promise<Candidate[]> {
  if (scope.filters['hour-of-day']?.length) return [];
  const out: Candidate[] = [];
  for (const d of hourPlaces.filter((x) => dims.includes(x))) {
    const cellsOf = new Map<string, { value: string; tally: Tally }[]>();
    for (const [key, tally] of await counts.cross(scope, d, 'hour-of-day')) {
      const [value, hour] = key.split('\u0000');
      cellsOf.set(value, [...(cellsOf.get(value) ?? []), { value: hour, tally }]);
    }
    for (const [value, cells] of cellsOf) {
      const candidate = candidates.find((c) => c.group.dimensions[0] === d && c.group.values[0] === value);
      // A candidate left standing, named with its part already or the same streams as another name is not searched
      // again; one explained over the whole day by a larger cause may still be a problem of its own at some hours.
      const sameStreams = (e: Candidate) =>
        e.tally.n === candidate?.tally.n && e.tally.k === candidate.tally.k;
      const named = (e: Candidate) => combos.includes(e) || sameStreams(e);
      if (candidate && (candidate.explainers.length === 0 || candidate.explainers.some(named))) continue;
      const n = cells.reduce((a, c) => a + c.tally.n, 0);
      const k = cells.reduce((a, c) => a + c.tally.k, 0);
      const rate = total.n > n ? (total.k - k) / (total.n - n) : 0;
      const parent = { n, excess: k - n * rate, expectedRate: rate };
      const part = concentratedPart(parent, 'hour-of-day', cells, t);
      if (!part || scoreZ(part.k, part.n, rate) < hiddenZ) continue;
      const exact = await counts.total({
        ...scope,
        filters: { ...scope.filters, [d]: [value], 'hour-of-day': part.covers },
      });
      const combo = judge({ ...exact, dimensions: [d, 'hour-of-day'], values: [value, part.value] }, total);
      if (significant(combo, t, total) && combo.z >= hiddenZ)
        out.push({ ...combo, order: -1, explainers: [], overlaps: new Map(), atHoursOnly: true });
    }
  }
  const place = (c: Candidate) => hourPlaces.indexOf(c.group.dimensions[0]);
  const atHours = [...out, ...combos.filter((c) => c.group.dimensions[1] === 'hour-of-day' && place(c) >= 0)];
  for (const a of atHours) {
    const parts = atHours.filter(
      (b) => place(b) < place(a) && b.tally.n < a.tally.n && b.explainers.length === 0,
    );
    if (parts.length > 0 && !(await ownProblemOutside(counts, scope, a, parts, t)))
      a.explainers.push(...parts);
  }
  return out;
}

/** Ranks the causes of poor streams in a scope (see docs/analytics.md, "Where is the problem?"). */
export async function findCauses(db: ReadDb, q: CauseQuery): Promise<CausesAnswer> {
  return findCausesIn(cubeCounts(db), q);
}

/** findCauses over any source of counts (hand-made streams in the tests). */
export async function findCausesIn(counts: CauseCounts, q: CauseQuery): Promise<CausesAnswer> {
  const t: CauseThresholds = { ...defaultThresholds, ...q.thresholds };
  const scope = causeScope(q);
  const dims = (q.dimensions ?? causeDimensions(q.includeUsers)).filter(
    (d) => !scope.filters[d]?.length || (d as string) === 'hour-of-day',
  );
  const total = await counts.total(scope);
  const answer: CausesAnswer = {
    scope: {
      since: q.since ?? null,
      until: q.until ?? null,
      filters: scope.filters,
      classifiedStreams: total.n,
      poorStreams: total.k,
      poorPercent: total.n > 0 ? (100 * total.k) / total.n : null,
    },
    thresholds: t,
    dimensions: dims,
    causes: [],
    explained: [],
    hiddenSmallGroups: 0,
  };
  if (total.k === 0) return answer;

  const judged = [];
  for (const d of dims) for (const g of await counts.groups(scope, [d])) judged.push(judge(g, total));
  const candidates: Candidate[] = judged
    .filter((c) => significant(c, t, total))
    .sort(
      (a, b) =>
        b.excess - a.excess || dims.indexOf(a.group.dimensions[0]) - dims.indexOf(b.group.dimensions[0]),
    )
    .slice(0, maxCandidates)
    .map((c, order) => ({ ...c, order, explainers: [], overlaps: new Map() }));

  // Specificity: every pair of candidates of two dimensions, through the cross-tab of those dimensions.
  const candidateDims = [...new Set(candidates.map((c) => c.group.dimensions[0]))];
  const of = (d: Dimension) => candidates.filter((c) => c.group.dimensions[0] === d);
  for (let i = 0; i < candidateDims.length; i++)
    for (let j = i + 1; j < candidateDims.length; j++) {
      const [da, dbb] = [candidateDims[i], candidateDims[j]];
      const cells = await counts.cross(scope, da, dbb);
      for (const a of of(da))
        for (const b of of(dbb)) {
          const overlap = cells.get(`${a.group.values[0]}\u0000${b.group.values[0]}`) ?? { n: 0, k: 0 };
          if (overlap.n > 0) {
            a.overlaps.set(b, overlap);
            b.overlaps.set(a, overlap);
          }
        }
    }

  await selectCauses(candidates, counts, scope, t);

  // Combinations: a cause left standing whose excess sits in part of a second dimension is named with that part.
  const combos: Candidate[] = [];
  for (const a of candidates.filter((c) => c.explainers.length === 0)) {
    const first = a.group.dimensions[0];
    for (const second of secondsFor(first, [...dimensions, ...dims])) {
      if (scope.filters[second]?.length) continue;
      const cells = [...(await counts.cross(scope, first, second))]
        .filter(([key]) => key.startsWith(`${a.group.values[0]}\u0000`))
        .map(([key, tally]) => ({ value: key.split('\u0000')[1], tally }));
      const part = concentratedPart(
        { n: a.tally.n, excess: a.excess, expectedRate: a.expectedRate },
        second,
        cells,
        t,
      );
      if (!part) continue;
      const exact = await counts.total({
        ...scope,
        filters: { ...scope.filters, [first]: [a.group.values[0]], [second]: part.covers },
      });
      const combo: Candidate = {
        ...judge({ ...exact, dimensions: [first, second], values: [a.group.values[0], part.value] }, total),
        order: -1,
        explainers: [],
        // The streams it shares with other groups are (at most) its parent's.
        overlaps: a.overlaps,
      };
      if (!significant(combo, t, total)) continue;
      a.explainers.push(combo);
      combos.push(combo);
      break;
    }
  }

  const root = (c: Candidate): Candidate => {
    let at = c;
    const seen = new Set<Candidate>();
    while (at.explainers.length > 0 && !seen.has(at)) {
      seen.add(at);
      at = at.explainers.reduce((x, y) => (y.excess > x.excess ? y : x));
    }
    return at;
  };
  combos.push(...(await hiddenAtHours(counts, scope, total, t, candidates, combos, dims)));
  const all = [...candidates, ...combos];
  await explainLookAlikes(
    all.filter((c) => c.explainers.length === 0),
    counts,
    scope,
    t,
  );
  const kept = all.filter((c) => c.explainers.length === 0).sort((a, b) => b.excess - a.excess);
  const explained = all.filter((c) => c.explainers.length > 0).sort((a, b) => b.excess - a.excess);
  const row = (c: Candidate, rank: number, explainedBy: Candidate | null): CauseRow => {
    const g = c.group;
    const where = Object.fromEntries(
      g.dimensions.map((d, i) => [
        d,
        (d as string) === 'hour-of-day' ? expandHours(g.values[i]) : [g.values[i]],
      ]),
    );
    return {
      rank,
      dimensions: g.dimensions,
      values: g.values,
      label: labelOf(g),
      streams: g.streams,
      classifiedStreams: g.n,
      poorStreams: g.k,
      poorPercent: (100 * g.k) / g.n,
      restPoorPercent: 100 * c.expectedRate,
      excessPoorStreams: c.excess,
      shareOfPoorPercent: (100 * c.excess) / total.k,
      z: c.z,
      topReasons: topReasons(g),
      users: g.users,
      explains: explained.filter((x) => root(x) === c).map((x) => labelOf(x.group)),
      explainedBy: explainedBy ? labelOf(explainedBy.group) : null,
      links: linksOf(scope, where),
    };
  };
  answer.causes = kept.slice(0, q.limit ?? 50).map((c, i) => row(c, i + 1, null));
  answer.explained = explained.map((c) => row(c, 0, root(c)));
  return answer;
}

export { idOf as causeId };
