// Specificity for "what changed": a value whose added poor streams lie almost all inside a value of another
// dimension (Windows, "not on VPN" or UDP inside the client version just rolled out) is explained by it, as causes
// are (docs/analytics.md): its streams outside the smaller value are counted exactly from the cross-tab.
import { specificity } from './cause-selection.ts';
import type { Tally } from './cause-stats.ts';
import type { ChangeDriver } from './cause-types.ts';
import type { Dimension } from './quality-query.ts';

type Driver = Omit<ChangeDriver, 'rank'>;

/** A value keeps less than this share of its added events outside another value: explained by it. */
const keptShare = 0.4;
/** Values that may explain others: those adding the most (a cross-tab per pair of dimensions is read). */
const maxExplainers = 12;
/** Values looked at for being explained; those further down are listed as they are. */
const maxExplained = 40;

/** The rate a driver was measured against: its own baseline, or the scope's. */
const rateOf = (d: Driver, scopeRate: number) =>
  d.baselineOf === 'value' && d.baseline.streams > 0 ? d.baseline.events / d.baseline.streams : scopeRate;

/**
 * Splits drivers (largest impact first) into those that stand and those another one explains, each of the latter
 * with the label of the value that explains it.
 */
export async function explainDrivers(
  found: Driver[],
  scopeRate: number,
  cross: (a: Dimension, b: Dimension) => Promise<Map<string, Tally>>,
): Promise<{ standing: Driver[]; explained: Driver[] }> {
  const explainers = found.slice(0, maxExplainers);
  const tabs = new Map<string, Map<string, Tally>>();
  const tab = async (a: Dimension, b: Dimension) => {
    const key = `${a}\u0000${b}`;
    const known = tabs.get(key);
    if (known) return known;
    const made = await cross(a, b);
    tabs.set(key, made);
    return made;
  };
  const explained = new Map<Driver, string>();
  /** The share of d's added events its streams outside the overlap keep. */
  const kept = (d: Driver, both: Tally) =>
    d.impact > 0
      ? (d.recent.events - both.k - (d.recent.streams - both.n) * rateOf(d, scopeRate)) / d.impact
      : 1;
  // The very same streams under two names (a building and its city, the VPN and the building its subnets are
  // filed under): named once, by the more specific dimension, as causes are, wherever they rank.
  const counted = (d: Driver) => JSON.stringify([d.recent, d.baseline]);
  const byCounts = new Map<string, Driver[]>();
  for (const d of found) byCounts.set(counted(d), [...(byCounts.get(counted(d)) ?? []), d]);
  for (const same of byCounts.values()) {
    const [keep, ...rest] = same.sort((x, y) => specificity(x.dimensions[0]) - specificity(y.dimensions[0]));
    for (const d of rest) {
      const both = (await tab(d.dimensions[0], keep.dimensions[0])).get(
        `${d.values[0]}\u0000${keep.values[0]}`,
      );
      if (both?.n === d.recent.streams && both.k === d.recent.events) explained.set(d, keep.label);
    }
  }
  for (const a of found.slice(0, maxExplained)) {
    if (explained.has(a)) continue;
    for (const b of explainers) {
      // An explainer that something else explains cannot explain in turn (no circles: the larger impact stays).
      if (b === a || b.dimensions[0] === a.dimensions[0] || explained.has(b)) continue;
      const both = (await tab(a.dimensions[0], b.dimensions[0])).get(`${a.values[0]}\u0000${b.values[0]}`);
      if (!both || kept(a, both) >= keptShare) continue;
      // b explains a when b stands on its own outside a, or when the two are mostly the same streams and b is the
      // smaller (more specific) of them: a new version explains the platform it runs on, not the reverse.
      if (kept(b, both) >= keptShare || b.recent.streams < a.recent.streams) {
        explained.set(a, b.label);
        break;
      }
    }
  }
  return {
    standing: found.filter((d) => !explained.has(d)),
    explained: [...explained].map(([d, by]) => ({ ...d, explainedBy: by })),
  };
}
