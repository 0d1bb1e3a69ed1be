// Combinations of two dimensions: a value whose excess sits mostly in part of a second dimension (a subnet at
// certain hours of the day, a client version on one platform) is better named with that part.
import { type CauseThresholds, scoreZ, type Tally } from './cause-stats.ts';
import type { Dimension } from './quality-query.ts';

/** The second dimensions a cause is split by, when the query engine knows them. */
export const combinationPairs: [Dimension | string, Dimension | string][] = [
  ['*', 'hour-of-day'],
  ['client-version', 'platform'],
  ['client-version', 'network-type'],
  ['building', 'network-type'],
  ['subnet', 'network-type'],
];

export interface Part extends Tally {
  /** The second dimension's value; for hour-of-day a range `13-15`. */
  value: string;
  /** The values the part covers (`13`, `14`, `15`): the filter that selects it. */
  covers: string[];
}

const isHour = (d: string) => d === 'hour-of-day';

/** Hours `13`..`15` as the range value `13-15` (one hour: `13`). */
export function hourRange(hours: string[]): string {
  const first = hours[0];
  const last = hours[hours.length - 1];
  return first === last ? first : `${first}-${last}`;
}

/** `13-15` → `13`, `14`, `15` (as the query engine spells hours of the day). */
export function expandHours(range: string): string[] {
  const [from, to = from] = range.split('-');
  const out: string[] = [];
  for (let h = Number(from); h <= Number(to); h++) out.push(String(h).padStart(from.length, '0'));
  return out;
}

/** Adjacent entries of sorted hours, as runs. */
function runs(hours: { value: string; tally: Tally }[]): { value: string; tally: Tally }[][] {
  const out: { value: string; tally: Tally }[][] = [];
  for (const h of hours) {
    const run = out.at(-1);
    const prev = run?.at(-1);
    if (run && prev && Number(h.value) === Number(prev.value) + 1) run.push(h);
    else out.push([h]);
  }
  return out;
}

/**
 * The part of a parent group (its cells over the second dimension) that holds most of its excess: the cells worse
 * than the parent's expected rate (score z ≥ residualZ), adjacent hours merged into one range, the part with the
 * largest excess. Kept when it holds at least (1 − residualShare) of the parent's excess in at most 60% of its
 * streams; null when the problem is spread over the whole parent.
 */
export function concentratedPart(
  parent: { n: number; excess: number; expectedRate: number },
  second: string,
  cells: { value: string; tally: Tally }[],
  t: CauseThresholds,
): Part | null {
  const excessOf = (x: Tally) => x.k - x.n * parent.expectedRate;
  const bad = cells
    .filter((c) => excessOf(c.tally) > 0 && scoreZ(c.tally.k, c.tally.n, parent.expectedRate) >= t.residualZ)
    .sort((x, y) => (isHour(second) ? Number(x.value) - Number(y.value) : 0));
  const parts: Part[] = (isHour(second) ? runs(bad) : bad.map((c) => [c])).map((run) => ({
    value: isHour(second) ? hourRange(run.map((r) => r.value)) : run[0].value,
    covers: run.map((r) => r.value),
    n: run.reduce((s, r) => s + r.tally.n, 0),
    k: run.reduce((s, r) => s + r.tally.k, 0),
  }));
  const best = parts.sort((x, y) => excessOf(y) - excessOf(x))[0];
  if (!best) return null;
  if (excessOf(best) < (1 - t.residualShare) * parent.excess) return null;
  if (best.n > 0.6 * parent.n) return null;
  if (best.n < t.minStreams || best.k < t.minPoor) return null;
  return best;
}

/** The second dimensions a value of `first` is split by, of those `known`. */
export function secondsFor(first: Dimension, known: readonly string[]): Dimension[] {
  return combinationPairs
    .filter(([a, b]) => (a === '*' || a === first) && b !== first && known.includes(b))
    .map(([, b]) => b as Dimension);
}
