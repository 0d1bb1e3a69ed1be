// Which significant groups are causes and which are explained by others: same streams are one group; a group whose
// excess is gone once its smaller groups are taken out is explained by them, unless they are parts of it of one kind
// that cover it (the subnets of a bad building), when it is the cause and they are explained by it.
import type { CauseCounts, Group, Scope } from './cause-groups.ts';
import { type CauseThresholds, type Judged, scoreZ, type Tally, twoProportionZ } from './cause-stats.ts';
import type { Dimension } from './quality-query.ts';

export interface Candidate extends Judged {
  group: Group;
  z: number;
  /** Position in the ranking by excess (ties: dimension order). */
  order: number;
  explainers: Candidate[];
  /** Streams shared with other candidates (from the cross-tabs). */
  overlaps: Map<Candidate, Tally>;
  /** Found at some hours only (no cross-tabs): inside a larger cause it is that cause, not a more specific name. */
  atHoursOnly?: boolean;
}

/**
 * Of two dimensions holding the very same streams (a building and its city, a device and its driver), the one an
 * admin acts on first is kept: the most specific network or device fact, places last.
 */
const specificFirst: readonly string[] = [
  'access-point',
  'subnet',
  'capture-driver',
  'render-driver',
  'client-version',
  'isp',
  'endpoint-model',
  'capture-device',
  'render-device',
  // A VPN's subnets often make a building of their own in the building file: "vpn true" says what they are.
  'vpn',
  'building',
  'wifi-band',
  'network-type',
  'inside-corp',
  'codec',
  'transport',
  'relay',
  'call-type',
  'platform',
  'product-family',
  'endpoint-type',
  'city',
  'country',
  'region',
];
/** Of dimensions naming the very same streams, the one kept ranks lowest here (the most specific first). */
export const specificity = (d: Dimension) => {
  const i = specificFirst.indexOf(d);
  return i < 0 ? specificFirst.length : i;
};

/** A part of a group counts as "mostly inside" it when this share of the part's streams is in the group. */
const insideShare = 0.8;
/** Parts of one kind that hold this share of a group's streams make the group the better explanation. */
const coverShare = 0.8;
/** ... or, for a place (a building, the VPN) whose parts are alike, this share. */
const placeCoverShare = 0.6;

const dim = (c: Candidate) => c.group.dimensions[0];
const overlapOf = (a: Candidate, b: Candidate): Tally => a.overlaps.get(b) ?? { n: 0, k: 0 };
const inside = (b: Candidate, a: Candidate) =>
  b.tally.n < a.tally.n && overlapOf(a, b).n >= insideShare * b.tally.n;

/** The streams of `a` outside every group of `others`, counted exactly. */
async function outsideAll(
  counts: CauseCounts,
  scope: Scope,
  a: Candidate,
  others: Candidate[],
): Promise<Tally> {
  const where = (c: Candidate) => [[dim(c), [c.group.values[0]]] as const];
  return (await counts.outside(scope, where(a), others.map(where))).inside;
}

/** Whether a part of `a` still carries a problem of its own at `a`'s expected rate. */
function staysBad(a: Candidate, part: Tally, t: CauseThresholds): boolean {
  if (part.n < t.minStreams) return false;
  const excess = part.k - part.n * a.expectedRate;
  return (
    excess / part.n >= t.residualShare * (a.excess / a.tally.n) &&
    scoreZ(part.k, part.n, a.expectedRate) >= t.residualZ
  );
}

/** Sets each candidate's explainers (empty: a cause). Candidates carry their pairwise overlaps. */
export async function selectCauses(
  candidates: Candidate[],
  counts: CauseCounts,
  scope: Scope,
  t: CauseThresholds,
): Promise<void> {
  // 1. The very same streams: one group, named by the most specific dimension.
  for (const a of candidates)
    for (const b of candidates) {
      if (a === b || a.explainers.length || b.explainers.length) continue;
      const o = overlapOf(a, b);
      const same = o.n === a.tally.n && o.n === b.tally.n && o.k === a.tally.k;
      if (same && specificity(dim(b)) < specificity(dim(a))) a.explainers.push(b);
    }
  const live = () => candidates.filter((c) => c.explainers.length === 0);
  // Groups explained on the way up still hold their streams' problem (their cause is elsewhere in the list): they
  // take part in explaining larger groups; only the duplicates of step 1 do not.
  const distinct = live();

  // 2. From the smallest up: a group is explained by the smaller significant groups mostly inside it (or sharing its
  // poor streams) when what is left of it outside them is no longer a problem. How media flowed (transport, relay,
  // codec, call type) and the hours of the day never explain a group: they say how or when, not where.
  for (const a of live().sort((x, y) => x.tally.n - y.tally.n)) {
    if (a.explainers.length) continue;
    const parts = distinct.filter(
      (b) => b !== a && dim(b) !== dim(a) && !isTime(b) && !isHow(b) && (inside(b, a) || sharesPoor(a, b)),
    );
    if (parts.length > 0 && !staysBad(a, await outsideAll(counts, scope, a, parts), t)) {
      // Parts of one kind covering the group (every subnet of a bad building) make the group the explanation.
      const cover = coveringParts(a, parts, t);
      if (cover) for (const b of cover) b.explainers.push(a);
      else a.explainers.push(...parts);
      continue;
    }
    // Confounded: most of the group's excess lies in another cause's streams and the rest of it is fine (a
    // headset model common among the users of a broken client version).
    const holders = live().filter((b) => holdsExcess(a, b));
    if (holders.length === 0) continue;
    const rest = await outsideAll(counts, scope, a, holders);
    if (rest.n >= t.minStreams && !staysBad(a, rest, t)) a.explainers.push(...holders);
  }

  // An hour of the day whose excess lies mostly in one cause is that cause at that hour.
  for (const a of live().filter(isTime)) {
    const by = live().find((b) => !isTime(b) && excessIn(a, b) >= 0.6 * a.excess);
    if (by) a.explainers.push(by);
  }

  // 3. A group mostly inside a cause and no worse than the rest of that cause adds nothing to it.
  for (const b of live())
    for (const a of live()) {
      if (a === b || isHow(a) || !inside(b, a)) continue;
      const o = overlapOf(a, b);
      const restN = a.tally.n - o.n;
      if (restN <= 0) continue;
      if (twoProportionZ(o.k, o.n, a.tally.k - o.k, restN) < t.minZ) {
        b.explainers.push(a);
        break;
      }
    }
}

/**
 * Parts of one kind that cover `a` and make it the explanation: alike (the worst part no worse than the rest), or,
 * for a place, every part bad (each keeps a share of the worst part's excess per stream: a building's bad uplink
 * hurts each of its subnets, some more than others).
 */
function coveringParts(a: Candidate, parts: Candidate[], t: CauseThresholds): Candidate[] | undefined {
  const byDim = new Map<Dimension, Candidate[]>();
  for (const b of parts.filter((p) => inside(p, a))) byDim.set(dim(b), [...(byDim.get(dim(b)) ?? []), b]);
  return [...byDim.values()].find((bs) => {
    if (bs.length < 2) return false;
    const covered = bs.reduce((s, b) => s + overlapOf(a, b).n, 0) / a.tally.n;
    const place = placeDims.has(dim(a));
    if (covered >= coverShare) return alike(a, bs, t) || (place && allBad(a, bs, t));
    // A place whose parts are alike though some are too small to be candidates (three of a VPN's four subnets).
    return place && covered >= placeCoverShare && alike(a, bs, t);
  });
}

function allBad(a: Candidate, parts: Candidate[], t: CauseThresholds): boolean {
  const perStream = (b: Candidate) => {
    const o = overlapOf(a, b);
    return (o.k - o.n * a.expectedRate) / Math.max(1, o.n);
  };
  const worst = Math.max(...parts.map(perStream));
  return worst > 0 && parts.every((b) => perStream(b) >= t.residualShare * worst);
}

/**
 * Parts alike: the worst of them (by poor rate) is not significantly worse than the rest of the group. When one
 * part is much worse (the bad driver version of a device model), that part is the explanation, not the group.
 */
function alike(a: Candidate, parts: Candidate[], t: CauseThresholds): boolean {
  const rate = (b: Candidate) => overlapOf(a, b).k / Math.max(1, overlapOf(a, b).n);
  const worst = parts.reduce((x, y) => (rate(y) > rate(x) ? y : x));
  const o = overlapOf(a, worst);
  return twoProportionZ(o.k, o.n, a.tally.k - o.k, a.tally.n - o.n) < t.minZ;
}

const timeDims = new Set<string>(['hour-of-day', 'weekday']);
const isTime = (c: Candidate) => timeDims.has(dim(c));
const howDims = new Set<string>(['transport', 'relay', 'codec', 'call-type']);
const isHow = (c: Candidate) => howDims.has(dim(c));
const placeDims = new Set<string>(['building', 'vpn']);
/** The part of `a`'s excess poor streams that are also `b`'s streams. */
const excessIn = (a: Candidate, b: Candidate) => {
  const o = overlapOf(a, b);
  return o.k - o.n * a.expectedRate;
};

/**
 * Most of `a`'s excess poor streams are in `b` though at most half of its streams are (the excess concentrates
 * there, rather than `b` being most of `a`: step 3 weighs groups `a` lies inside), `b` is the worse of the two per
 * stream and the smaller, and `b` says where or with what, not how or when.
 */
function holdsExcess(a: Candidate, b: Candidate): boolean {
  return (
    b !== a &&
    dim(b) !== dim(a) &&
    !isTime(b) &&
    !isHow(b) &&
    overlapOf(a, b).n <= holderStreams * a.tally.n &&
    excessIn(a, b) >= holdShare * a.excess &&
    b.tally.n < a.tally.n &&
    b.excess / b.tally.n > a.excess / a.tally.n
  );
}
const holdShare = 0.6;
const holderStreams = 0.5;

/** Most of `b`'s excess poor streams are `a`'s poor streams too (a confounder: the band of the ISP's users). */
function sharesPoor(a: Candidate, b: Candidate): boolean {
  const o = overlapOf(a, b);
  return b.tally.n < a.tally.n && b.excess > 0 && o.k - o.n * a.expectedRate >= 0.6 * b.excess;
}
