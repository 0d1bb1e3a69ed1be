// The arithmetic of cause attribution, kept apart so an admin (and a test) can redo it by hand: tallies of
// classified and poor streams, the excess over an expected rate, the z scores, and "explained by" between two groups.

/** Poor reasons an attributed group reports, as the quality query names them, with their display names. */
export const reasonNames = {
  poorDueToJitter: 'jitter',
  poorDueToPacketLoss: 'packet loss',
  poorDueToRoundTrip: 'round trip',
  poorDueToDegradation: 'network degradation',
  poorDueToConcealedRatio: 'concealed samples',
  poorDueToFrameLoss: 'video frame loss',
  poorDueToFrameRate: 'video frame rate',
  poorDueToPostFecPacketLoss: 'video packet loss after FEC',
} as const;
export type ReasonMeasure = keyof typeof reasonNames;
export const reasonMeasures = Object.keys(reasonNames) as ReasonMeasure[];

/** Counts of one group of streams: `n` the trials (classified streams), `k` the hits (poor streams). */
export interface Tally {
  n: number;
  k: number;
}

/** Two-proportion z (pooled): how far a group's rate is above the other group's, in standard errors. */
export function twoProportionZ(k1: number, n1: number, k0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 0;
  const p = (k1 + k0) / (n1 + n0);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0));
  return se === 0 ? 0 : (k1 / n1 - k0 / n0) / se;
}

/** Binomial score z of k hits in n trials against an expected rate p: (k − n·p) / √(n·p·(1−p)). */
export function scoreZ(k: number, n: number, p: number): number {
  if (n <= 0) return 0;
  const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return (k - n * q) / Math.sqrt(n * q * (1 - q));
}

/** The thresholds of the method (docs/analytics.md, "Where is the problem?"). */
export interface CauseThresholds {
  /** A group needs this many classified streams to be judged at all. */
  minStreams: number;
  /** ... and this many poor streams. */
  minPoor: number;
  /** z a group needs to count as worse than the rest. */
  minZ: number;
  /** z the part of a group outside another group needs to still count (a test on a part, so a lower bar). */
  residualZ: number;
  /**
   * How bad, per stream, the part of a group outside other groups must stay, as a share of the whole group's
   * excess per stream, for the group to be a cause of its own.
   */
  residualShare: number;
}

export const defaultThresholds: CauseThresholds = {
  minStreams: 30,
  minPoor: 5,
  minZ: 3,
  residualZ: 2,
  residualShare: 0.4,
};

/** A group being compared with another: its tally, its excess and the rate its excess was measured against. */
export interface Judged {
  tally: Tally;
  excess: number;
  /** The expected poor rate of its streams (the rest of the scope, or the value's baseline for changes). */
  expectedRate: number;
}

/**
 * Whether the part of `a` outside `b` (outside `overlap`) still carries `a`'s problem: per stream, its poor streams
 * beyond `a`'s expected rate are at least `residualShare` of `a`'s excess per stream, with a score z ≥ `residualZ`.
 */
export function keepsOutside(a: Judged, overlap: Tally, t: CauseThresholds): boolean {
  return staysAProblem(a, { n: a.tally.n - overlap.n, k: a.tally.k - overlap.k }, t);
}

/** Whether `part` of `a` is still a problem by itself (see keepsOutside). */
export function staysAProblem(a: Judged, part: Tally, t: CauseThresholds): boolean {
  if (part.n <= 0 || a.tally.n <= 0) return false;
  const excess = part.k - part.n * a.expectedRate;
  return (
    excess / part.n >= t.residualShare * (a.excess / a.tally.n) &&
    scoreZ(part.k, part.n, a.expectedRate) >= t.residualZ
  );
}

/**
 * True when `b` explains `a`: without `b`'s streams `a` is no longer a problem, while `b` stays one without `a`'s;
 * when neither stays one alone (they share the problem's streams), the smaller group, the more specific, explains
 * the larger; two groups of the very same streams are one, and the first named (`aFirst` false) is kept.
 */
export function explains(
  b: Judged,
  a: Judged,
  overlap: Tally,
  t: CauseThresholds = defaultThresholds,
  aFirst = false,
): boolean {
  if (overlap.n === 0) return false;
  const aStays = keepsOutside(a, overlap, t);
  const bStays = keepsOutside(b, overlap, t);
  if (aStays) return false;
  if (bStays) return true;
  if (b.tally.n !== a.tally.n) return b.tally.n < a.tally.n;
  return !aFirst;
}
