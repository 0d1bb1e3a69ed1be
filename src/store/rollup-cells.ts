// What a call's stream facts add to (or, negated, take from) each rollup: pure, so incremental maintenance
// and the query tests share one definition of every sum.
import {
  type Grain,
  grains,
  jitterBucket,
  jitterBucketColumns,
  metricSums,
  poorReasonBits,
  reachDims,
  sumColumns,
  weekEnd,
} from './rollup-grains.ts';
import type { StreamFact } from './stream-facts.ts';

export interface Cell {
  keys: (string | number)[];
  sums: number[];
}

/** Deltas per rollup table, keyed by the row's key columns joined. */
export interface Cells {
  grains: Map<string, Map<string, Cell>>;
  /** Reach rows: keys [dim, media_type, day, value], sums [calls, call_ms]. */
  reach: Map<string, Cell>;
}

export function emptyCells(): Cells {
  return { grains: new Map(grains.map((g) => [g.table, new Map()])), reach: new Map() };
}

const sumIndex = new Map(sumColumns.map((c, i) => [c, i]));
const idx = (c: string) => sumIndex.get(c) as number;
const I = {
  streams: idx('streams'),
  classified: idx('classified'),
  poor: idx('poor'),
  streamMs: idx('stream_ms'),
  setupFailed: idx('setup_failed'),
  dropped: idx('dropped'),
  reasons: Object.values(poorReasonBits).map((r) => ({ bit: r.bit, i: idx(r.column) })),
  metrics: metricSums.map((m) => ({ fact: m.fact, sum: idx(m.sum), n: idx(m.n) })),
  jitterBuckets: jitterBucketColumns.map(idx),
};

/** One stream's contribution to every additive column. */
export function factSums(f: StreamFact): number[] {
  const s = new Array<number>(sumColumns.length).fill(0);
  s[I.streams] = 1;
  if (f.quality !== 'unclassified') s[I.classified] = 1;
  if (f.quality === 'poor') s[I.poor] = 1;
  const mask = Number(f.poor_mask);
  for (const r of I.reasons) if (mask & r.bit) s[r.i] = 1;
  for (const m of I.metrics) {
    const v = f[m.fact];
    if (v !== null && v !== undefined) {
      s[m.sum] = Number(v);
      s[m.n] = 1;
    }
  }
  if (f.jitter_us !== null && f.jitter_us !== undefined)
    s[I.jitterBuckets[jitterBucket(Number(f.jitter_us))]] = 1;
  s[I.streamMs] = Number(f.stream_ms);
  s[I.setupFailed] = Number(f.setup_failed);
  s[I.dropped] = Number(f.dropped);
  return s;
}

export function grainKey(g: Grain, f: StreamFact): (string | number)[] {
  const day = Number(f.day);
  return [g.period === 'week' ? weekEnd(day) : day, ...g.dims.map((d) => f[d] as string | number)];
}

function add(map: Map<string, Cell>, keys: (string | number)[], sums: number[], sign: number): void {
  const k = keys.join('\u0001');
  const cell = map.get(k);
  if (cell) for (let i = 0; i < sums.length; i++) cell.sums[i] += sign * sums[i];
  else
    map.set(k, {
      keys,
      sums: sign === 1 ? sums.slice() : sums.map((v) => sign * v),
    });
}

/** The reach rows one call counts once each: every (media type or '*', dimension, value) it touches. */
export function reachKeys(callFacts: readonly StreamFact[]): (string | number)[][] {
  // Sets of values per (media type or '*', day, dimension): a call touches few, and this runs for every call.
  const byMedia = new Map<string, Map<number, Set<string>[]>>();
  const n = reachDims.length;
  for (const f of callFacts) {
    const day = Number(f.day);
    for (const media of [String(f.media_type), '*']) {
      let byDay = byMedia.get(media);
      if (!byDay) {
        byDay = new Map();
        byMedia.set(media, byDay);
      }
      let sets = byDay.get(day);
      if (!sets) {
        sets = Array.from({ length: n }, () => new Set<string>());
        byDay.set(day, sets);
      }
      for (let i = 0; i < n; i++) {
        const d = reachDims[i];
        sets[i].add(d === 'hour' ? String(f.hour) : (f[d] as string));
      }
    }
  }
  const out: (string | number)[][] = [];
  for (const [media, byDay] of byMedia)
    for (const [day, sets] of byDay) {
      out.push(['', media, day, '']);
      for (let i = 0; i < n; i++) for (const v of sets[i]) out.push([reachDims[i], media, day, v]);
    }
  return out;
}

/** Adds (sign 1) or subtracts (sign -1) the facts of ONE call to the cells. */
export function accumulateCall(cells: Cells, callFacts: readonly StreamFact[], sign: 1 | -1): void {
  if (callFacts.length === 0) return;
  for (const f of callFacts) {
    const sums = factSums(f);
    for (const g of grains) add(cells.grains.get(g.table) as Map<string, Cell>, grainKey(g, f), sums, sign);
  }
  const callMs = Number(callFacts[0].call_ms);
  for (const keys of reachKeys(callFacts)) add(cells.reach, keys, [1, callMs], sign);
}

/** Groups facts by call, in first-seen order. */
export function factsByCall(facts: readonly StreamFact[]): Map<string, StreamFact[]> {
  const out = new Map<string, StreamFact[]>();
  for (const f of facts) {
    const id = String(f.call_id);
    const list = out.get(id);
    if (list) list.push(f);
    else out.set(id, [f]);
  }
  return out;
}
