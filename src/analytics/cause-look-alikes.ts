// Look-alikes of larger causes: a group left standing whose streams outside the larger causes are no worse than the
// scope outside them (TCP, most of whose poor streams are the VPN's; a good driver version used where the bad
// client version runs) is explained by those causes, not listed beside them.
import { expandHours } from './cause-combinations.ts';
import type { CauseCounts, Scope, Where } from './cause-groups.ts';
import type { Candidate } from './cause-selection.ts';
import { type CauseThresholds, scoreZ } from './cause-stats.ts';

const dim = (c: Candidate) => c.group.dimensions[0];

/** How media flowed and the hours of the day say how or when, not where: they never explain another group. */
const neverExplains = new Set<string>(['transport', 'relay', 'codec', 'call-type', 'hour-of-day', 'weekday']);
const explainsNothing = (c: Candidate) => c.group.dimensions.some((d) => neverExplains.has(d));

/** The values a candidate's streams have, per dimension (a combination's hour range is its hours). */
function whereOf(c: Candidate): Where {
  return c.group.dimensions.map((d, i) => [
    d,
    (d as string) === 'hour-of-day' ? expandHours(c.group.values[i]) : [c.group.values[i]],
  ]);
}

/** Whether two groups share streams; a place found at its hours alone has no cross-tabs: it may share any. */
const shares = (a: Candidate, b: Candidate) =>
  a.overlaps.size === 0 ||
  b.overlaps.size === 0 ||
  (a.overlaps.get(b)?.n ?? 0) > 0 ||
  (b.overlaps.get(a)?.n ?? 0) > 0 ||
  a.overlaps === b.overlaps;

/** Whether `a`, outside `others`, still has a problem of its own against the scope outside them. */
export async function ownProblemOutside(
  counts: CauseCounts,
  scope: Scope,
  a: Candidate,
  others: Candidate[],
  t: CauseThresholds,
): Promise<boolean> {
  const { inside: inA, rest } = await counts.outside(scope, whereOf(a), others.map(whereOf));
  const rate = rest.n > 0 ? rest.k / rest.n : 0;
  const excess = inA.k - inA.n * rate;
  return (
    (inA.n < t.minStreams && !a.atHoursOnly) ||
    (scoreZ(inA.k, inA.n, rate) >= t.residualZ && excess / inA.n >= t.residualShare * (a.excess / a.tally.n))
  );
}

/**
 * Walks the causes from the largest excess down (how and when last: they explain nothing); each is compared,
 * outside the larger causes that share its streams, with the scope outside them. It stays a cause when that part
 * still carries a problem of its own (score z ≥ residualZ and residualShare of its excess per stream); a part too
 * small to judge keeps it (the selection already chose it as the more specific name), except for a place found at
 * its hours only, which had no such choice.
 */
export async function explainLookAlikes(
  kept: Candidate[],
  counts: CauseCounts,
  scope: Scope,
  t: CauseThresholds,
): Promise<void> {
  const order = [...kept].sort(
    (x, y) => Number(explainsNothing(x)) - Number(explainsNothing(y)) || y.excess - x.excess,
  );
  const accepted: Candidate[] = [];
  for (const a of order) {
    // Another value of the same dimension holds none of its streams; pairs sharing the hour may overlap.
    const others = accepted.filter(
      (b) => !(b.group.dimensions.length === 1 && a.group.dimensions.includes(dim(b))) && shares(a, b),
    );
    if (others.length > 0 && !(await ownProblemOutside(counts, scope, a, others, t))) {
      a.explainers.push(...others);
      continue;
    }
    if (!explainsNothing(a)) accepted.push(a);
  }
}
