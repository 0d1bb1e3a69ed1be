// One scope's streams held in memory as dictionary-coded columns (one pass over the facts, grouped by every
// dimension but the time buckets), so cause attribution's hundreds of groups, cross-tabs and "outside the others"
// counts are answered without another scan. Anything the columns cannot answer goes to the query engine.
import type { ReadDb } from '../store/db.ts';
import { type CauseCounts, type Group, queryCounts, type Scope, type Where } from './cause-groups.ts';
import { reasonMeasures, type Tally } from './cause-stats.ts';
import { type Dimension, dimensions } from './quality-query.ts';
import { sumsSql } from './quality-sources.ts';
import { columnQuery, sumColumnsOf } from './query-quality.ts';

/** Every dimension but the time buckets (whose filters are the scope's period). */
const cubeDims: readonly Dimension[] = dimensions.filter((d) => d !== 'day' && d !== 'hour');
const dimIndex = new Map<Dimension, number>(cubeDims.map((d, i) => [d, i]));
const userDim = dimIndex.get('user') as number;

/** The sums each cube row carries, in this order (the Group fields they become, then the poor reasons). */
const sumNames = ['streams', 'classified', 'poor', 'setup_failed', 'dropped'] as const;
const reasonColumns = reasonMeasures.map((m) => sumColumnsOf(m)[0]);
const sumCols = [...sumNames, ...reasonColumns];
const [STREAMS, N, K, SETUP, DROPPED] = [0, 1, 2, 3, 4];

/** A growable column of 32-bit integers (a JS array of millions of numbers costs twice the memory). */
class IntColumn {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

interface Cube {
  base: Scope;
  rows: number;
  /** Per dimension (cubeDims order): each row's value code; code 0 is the unknown value ''. */
  codes: Int32Array[];
  values: string[][];
  sums: Int32Array[];
}

/** Reads a scope into a cube: the facts grouped by every cube dimension, rows ordered by user. */
async function loadCube(db: ReadDb, base: Scope): Promise<Cube> {
  const cq = { ...columnQuery({ ...base, by: [...cubeDims] }), factsOnly: true };
  const dicts = cubeDims.map(() => new Map<string, number>([['', 0]]));
  const codes = cubeDims.map(() => new IntColumn());
  const sums = sumCols.map(() => new IntColumn());
  const width = cubeDims.length;
  for (const s of sumsSql(cq, sumCols))
    await db.each(s.sql, s.params, (row) => {
      for (let d = 0; d < width; d++) {
        const v = row[d] === null || row[d] === undefined ? '' : String(row[d]);
        let code = dicts[d].get(v);
        if (code === undefined) {
          code = dicts[d].size;
          dicts[d].set(v, code);
        }
        codes[d].push(code);
      }
      for (let m = 0; m < sumCols.length; m++) sums[m].push(Number(row[width + m] ?? 0));
    });
  const cube: Cube = {
    base,
    rows: codes[0].length,
    codes: codes.map((c) => c.done()),
    values: dicts.map((m) => [...m.keys()]),
    sums: sums.map((c) => c.done()),
  };
  return byUser(cube);
}

/** Rows reordered by user (a counting sort), so a group's distinct users are counted by watching the user change. */
function byUser(cube: Cube): Cube {
  const users = cube.codes[userDim];
  const starts = new Int32Array(cube.values[userDim].length + 1);
  for (let r = 0; r < cube.rows; r++) starts[users[r] + 1]++;
  for (let u = 1; u < starts.length; u++) starts[u] += starts[u - 1];
  const order = new Int32Array(cube.rows);
  for (let r = 0; r < cube.rows; r++) order[starts[users[r]]++] = r;
  const permute = (col: Int32Array) => {
    const out = new Int32Array(col.length);
    for (let r = 0; r < order.length; r++) out[r] = col[order[r]];
    return out;
  };
  return { ...cube, codes: cube.codes.map(permute), sums: cube.sums.map(permute) };
}

/** Which rows a scope keeps: the cube's dimension and the allowed codes, per filter the cube's base lacks. */
type RowFilter = { dim: number; allowed: Uint8Array }[];

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v) => b.includes(v));

/** The filter selecting `scope` among the cube's rows; null when the scope is not inside the cube's base. */
function rowFilter(cube: Cube, scope: Scope): RowFilter | null {
  const { base } = cube;
  if (scope.since !== base.since || scope.until !== base.until) return null;
  const given = (f: Scope['filters'], d: string) => f[d as Dimension] ?? [];
  for (const d of Object.keys(base.filters)) {
    const b = given(base.filters, d);
    if (b.length && !given(scope.filters, d).every((v) => b.includes(v))) return null;
    if (b.length && !given(scope.filters, d).length) return null;
  }
  const out: RowFilter = [];
  for (const d of Object.keys(scope.filters)) {
    const s = given(scope.filters, d);
    if (!s.length || sameSet(s, given(base.filters, d))) continue;
    const dim = dimIndex.get(d as Dimension);
    if (dim === undefined) return null;
    const allowed = new Uint8Array(cube.values[dim].length);
    cube.values[dim].forEach((v, code) => {
      if (s.includes(v)) allowed[code] = 1;
    });
    out.push({ dim, allowed });
  }
  return out;
}

interface Cells {
  /** Per cell: the codes of the grouped dimensions. */
  keys: number[][];
  sums: number[][];
  users: number[];
}

/** Sums the rows a filter keeps per combination of `by` codes (dense cells when the combinations are few). */
function aggregate(cube: Cube, filter: RowFilter, by: number[], measures: number[], users: boolean): Cells {
  const radix = by.map((d) => cube.values[d].length);
  const space = radix.reduce((a, b) => a * b, 1);
  const dense = space <= 4_000_000 ? new Int32Array(space).fill(-1) : undefined;
  const sparse = new Map<number | string, number>();
  const cells: Cells = { keys: [], sums: [], users: [] };
  const lastUser: number[] = [];
  const userCodes = cube.codes[userDim];
  const cols = by.map((d) => cube.codes[d]);
  const sums = measures.map((m) => cube.sums[m]);
  rows: for (let r = 0; r < cube.rows; r++) {
    for (const f of filter) if (!f.allowed[cube.codes[f.dim][r]]) continue rows;
    let key = 0;
    for (let i = 0; i < cols.length; i++) key = key * radix[i] + cols[i][r];
    const sparseKey = space > Number.MAX_SAFE_INTEGER ? cols.map((c) => c[r]).join(',') : key;
    let cell = dense ? dense[key] : (sparse.get(sparseKey) ?? -1);
    if (cell < 0) {
      cell = cells.keys.length;
      cells.keys.push(cols.map((c) => c[r]));
      cells.sums.push(measures.map(() => 0));
      cells.users.push(0);
      lastUser.push(-1);
      if (dense) dense[key] = cell;
      else sparse.set(sparseKey, cell);
    }
    const s = cells.sums[cell];
    for (let m = 0; m < sums.length; m++) s[m] += sums[m][r];
    // Rows are ordered by user: a user's rows of one cell are adjacent in the cell's sequence.
    const u = userCodes[r];
    if (users && u !== 0 && lastUser[cell] !== u) {
      lastUser[cell] = u;
      cells.users[cell]++;
    }
  }
  return cells;
}

const allMeasures = sumCols.map((_, i) => i);

/** The rows a Where selects, as a filter over the cube's codes. */
function compile(cube: Cube, where: Where): RowFilter {
  return where.map(([d, vs]) => {
    const dim = dimIndex.get(d) as number;
    const allowed = new Uint8Array(cube.values[dim].length);
    cube.values[dim].forEach((v, code) => {
      if (vs.includes(v)) allowed[code] = 1;
    });
    return { dim, allowed };
  });
}

/** One pass, no grouping: the streams of `inside` in none of `others`, and the rest in none of them. */
function outsideOf(cube: Cube, filter: RowFilter, inside: Where, others: readonly Where[]) {
  const keeps = (f: RowFilter, r: number) => {
    for (const x of f) if (!x.allowed[cube.codes[x.dim][r]]) return false;
    return true;
  };
  const ins = compile(cube, inside);
  const outs = others.map((w) => compile(cube, w));
  const out = { inside: { n: 0, k: 0 }, rest: { n: 0, k: 0 } };
  const [n, k] = [cube.sums[N], cube.sums[K]];
  rows: for (let r = 0; r < cube.rows; r++) {
    if (!keeps(filter, r)) continue;
    for (const o of outs) if (keeps(o, r)) continue rows;
    const into = keeps(ins, r) ? out.inside : out.rest;
    into.n += n[r];
    into.k += k[r];
  }
  return out;
}

function groupsOf(cube: Cube, filter: RowFilter, by: Dimension[], keepUnknown: boolean): Group[] {
  const dims = by.map((d) => dimIndex.get(d) as number);
  const cells = aggregate(cube, filter, dims, allMeasures, true);
  const out: Group[] = [];
  cells.keys.forEach((key, c) => {
    if (!keepUnknown && key.some((code) => code === 0)) return;
    const s = cells.sums[c];
    out.push({
      dimensions: by,
      values: key.map((code, i) => cube.values[dims[i]][code]),
      n: s[N],
      k: s[K],
      streams: s[STREAMS],
      users: cells.users[c],
      setupFailed: s[SETUP],
      dropped: s[DROPPED],
      reasons: Object.fromEntries(reasonMeasures.map((m, i) => [m, s[sumNames.length + i]])),
    });
  });
  // The query engine's order: most streams first, then by the values.
  const text = (g: Group) => JSON.stringify(g.values);
  return out.sort((a, b) => b.streams - a.streams || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

const emptyGroup = (): Group => ({
  dimensions: [],
  values: [],
  n: 0,
  k: 0,
  streams: 0,
  users: 0,
  setupFailed: 0,
  dropped: 0,
  reasons: Object.fromEntries(reasonMeasures.map((m) => [m, 0])),
});

/**
 * Counts for cause attribution and "what changed" from cubes: the first groups or cross-tab asked of a scope reads
 * it into one, and every later question inside that scope (more filters, same period) is answered from it.
 */
export function cubeCounts(db: ReadDb): CauseCounts {
  const sql = queryCounts(db);
  const cubes: Cube[] = [];
  const crosses = new Map<string, Map<string, Tally>>();
  const inCube = (scope: Scope) => {
    for (const cube of cubes) {
      const filter = rowFilter(cube, scope);
      if (filter) return { cube, filter };
    }
    return undefined;
  };
  const cubeFor = async (scope: Scope) => {
    const found = inCube(scope);
    if (found) return found;
    const cube = await loadCube(db, scope);
    cubes.push(cube);
    return { cube, filter: [] as RowFilter };
  };
  const known = (by: Dimension[]) => by.every((d) => dimIndex.has(d));
  return {
    async total(scope) {
      const found = inCube(scope);
      if (!found) return sql.total(scope);
      return groupsOf(found.cube, found.filter, [], true)[0] ?? emptyGroup();
    },
    async groups(scope, by, keepUnknown = false) {
      if (!known(by)) return sql.groups(scope, by, keepUnknown);
      const { cube, filter } = await cubeFor(scope);
      return groupsOf(cube, filter, by, keepUnknown);
    },
    async outside(scope, inside, others) {
      if (!known([inside, ...others].flatMap((w) => w.map(([d]) => d))))
        return sql.outside(scope, inside, others);
      const { cube, filter } = await cubeFor(scope);
      return outsideOf(cube, filter, inside, others);
    },
    async cross(scope, a, b) {
      if (!known([a, b])) return sql.cross(scope, a, b);
      const memo = JSON.stringify([scope, a, b]);
      const seen = crosses.get(memo);
      if (seen) return seen;
      const { cube, filter } = await cubeFor(scope);
      const [da, dbb] = [dimIndex.get(a) as number, dimIndex.get(b) as number];
      const cells = aggregate(cube, filter, [da, dbb], [N, K], false);
      const out = new Map<string, Tally>();
      cells.keys.forEach(([ca, cb], c) => {
        if (ca === 0 || cb === 0) return;
        out.set(`${cube.values[da][ca]}\u0000${cube.values[dbb][cb]}`, {
          n: cells.sums[c][0],
          k: cells.sums[c][1],
        });
      });
      crosses.set(memo, out);
      return out;
    },
  };
}
