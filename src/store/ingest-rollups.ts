// Rollups kept current for a batch of saves in one transaction: each record's stream facts are built from its
// rows in memory (not read back), and the rollup deltas of the whole batch are added up and applied once.
// Same sums as rollups.ts's per-call add/remove (whose building blocks it uses), in fewer statements.
import type { CallRows } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import type { Db, SqlValue } from './db.ts';
import { accumulateCall, type Cell, type Cells, emptyCells } from './rollup-cells.ts';
import {
  factColumns,
  factsTable,
  feedbackColumns,
  feedbackTable,
  grains,
  reachTable,
  sumColumns,
} from './rollup-grains.ts';
import { insertValues } from './row-values.ts';
import { buildFacts, type FactSource, type StreamFact } from './stream-facts.ts';

/** What one record adds to the analytics tables: its fact rows, values in column order. */
export interface RecordFacts {
  streams: SqlValue[][];
  feedback: SqlValue[][];
}

function factSourceOf(rows: CallRows): FactSource {
  return {
    calls: [rows.call],
    sessions: rows.sessions,
    // Segment facts read the session's modalities, never a segment's (the SQL source selects NULL for it).
    segments: rows.segments.map((g) => ({ ...g, modalities: null })),
    endpoints: rows.endpoints,
    mediaEndpoints: rows.mediaEndpoints,
    streams: rows.streams,
  };
}

/**
 * The facts of one record's rows under a building map (pure: runs in worker threads too); with `cells`, its
 * rollup deltas are added to them as well.
 */
export function recordFacts(rows: CallRows, buildings: BuildingMap, cells?: Cells): RecordFacts {
  const facts = buildFacts(factSourceOf(rows), buildings);
  if (cells) accumulateCall(cells, facts.streams, 1);
  return {
    streams: facts.streams.map((f) => factColumns.map((c) => f[c])),
    feedback: facts.feedback.map((f) => feedbackColumns.map((c) => f[c])),
  };
}

/** Adds (or with -1 takes out) the rollup deltas of facts given as values in column order. */
export function countFacts(cells: Cells, streams: readonly SqlValue[][], sign: 1 | -1): void {
  if (streams.length === 0) return;
  const objects = streams.map(
    (values) => Object.fromEntries(factColumns.map((c, i) => [c, values[i]])) as StreamFact,
  );
  accumulateCall(cells, objects, sign);
}

function mergeInto(target: Map<string, Cell>, from: Map<string, Cell>): void {
  for (const [k, cell] of from) {
    const have = target.get(k);
    if (!have) target.set(k, { keys: cell.keys, sums: cell.sums.slice() });
    else for (let i = 0; i < cell.sums.length; i++) have.sums[i] += cell.sums[i];
  }
}

export function mergeCells(target: Cells, from: Cells): void {
  for (const [table, map] of from.grains) {
    let into = target.grains.get(table);
    if (!into) {
      into = new Map();
      target.grains.set(table, into);
    }
    mergeInto(into, map);
  }
  mergeInto(target.reach, from.reach);
}

/** Cells as plain arrays, to pass between threads as JSON: [[table, [[key, keys, sums], ...]], ...]. */
export type CellsJson = [string, [string, (string | number)[], number[]][]][];

export function cellsToJson(cells: Cells): CellsJson {
  const out: CellsJson = [];
  const tableOf = (t: string, map: Map<string, Cell>) =>
    out.push([t, [...map].map(([k, c]) => [k, c.keys, c.sums] as [string, (string | number)[], number[]])]);
  for (const [table, map] of cells.grains) tableOf(table, map);
  tableOf(reachTable, cells.reach);
  return out;
}

export function cellsFromJson(json: CellsJson): Cells {
  const cells = emptyCells();
  for (const [table, list] of json) {
    const map = new Map(list.map(([k, keys, sums]) => [k, { keys, sums }]));
    if (table === reachTable) cells.reach = map;
    else cells.grains.set(table, map);
  }
  return cells;
}

/** Cells whose every sum is zero change nothing (a call removed and added back in one batch): left out. */
function withoutZero(map: Map<string, Cell>): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const [k, cell] of map) if (cell.sums.some((v) => v !== 0)) out.set(k, cell);
  return out;
}

const chunkSizes = [64, 16, 4, 1];
const sqlCache = new Map<string, string>();

function cached(key: string, make: () => string): string {
  let sql = sqlCache.get(key);
  if (!sql) {
    sql = make();
    sqlCache.set(key, sql);
  }
  return sql;
}

/** Runs `sqlFor(n)` over the rows, n rows per statement: one per row in-process, else in fixed-size chunks. */
async function runChunked(db: Db, rows: readonly SqlValue[][], sqlFor: (n: number) => string): Promise<void> {
  if (rows.length === 0) return;
  if (db.capabilities.runEach && db.runEach) {
    await db.runEach(sqlFor(1), rows);
    return;
  }
  let i = 0;
  while (i < rows.length) {
    const left = rows.length - i;
    const n = chunkSizes.find((c) => c <= left && c * rows[i].length <= db.capabilities.maxParams) ?? 1;
    await db.run(sqlFor(n), rows.slice(i, i + n).flat());
    i += n;
  }
}

/**
 * Adds deltas to one rollup table: sums added by upsert in one key order (concurrent writers never deadlock),
 * then the rows a subtraction emptied deleted (the table equals a rebuild); a few fixed statement shapes
 * whatever the number of cells, so prepared statements are reused across batches.
 */
async function applyTable(
  db: Db,
  table: string,
  keyCols: readonly string[],
  valCols: readonly string[],
  countCol: string,
  cells: Map<string, Cell>,
): Promise<void> {
  if (cells.size === 0) return;
  const sorted = [...cells.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, c]) => c);
  const cols = [...keyCols, ...valCols];
  const one = `(${cols.map(() => '?').join(',')})`;
  await runChunked(
    db,
    sorted.map((c) => [...c.keys, ...c.sums]),
    (n) =>
      cached(
        `u:${table}:${n}`,
        () =>
          `INSERT INTO ${table} (${cols.join(',')}) VALUES ${Array(n).fill(one).join(',')} ON CONFLICT (${keyCols.join(',')}) DO UPDATE SET ${valCols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
      ),
  );
  const shrunk = sorted.filter((c) => c.sums.some((v) => v < 0));
  // Typed placeholders: PostgreSQL reads untyped VALUES parameters as text.
  const key = `(${keyCols.map((c) => (c === 'day' || c === 'hour' ? 'CAST(? AS BIGINT)' : '?')).join(',')})`;
  await runChunked(
    db,
    shrunk.map((c) => c.keys),
    (n) =>
      cached(
        `d:${table}:${n}`,
        () =>
          `DELETE FROM ${table} WHERE ${countCol} <= 0 AND (${keyCols.join(',')}) IN (VALUES ${Array(n).fill(key).join(',')})`,
      ),
  );
}

/**
 * The rollup deltas of one transaction's saves; `apply` writes them once, at the end. It may start from deltas
 * counted beforehand (a worker added up a batch's records): those records are then added `counted`.
 */
export class RollupBatch {
  /** The deltas so far (facts built in the transaction are counted straight into them). */
  readonly cells: Cells;

  constructor(counted?: Cells) {
    this.cells = emptyCells();
    if (counted) mergeCells(this.cells, counted);
  }

  /** Writes a record's facts; counts its deltas unless they were counted beforehand. */
  async add(tx: Db, facts: RecordFacts, counted = false): Promise<void> {
    await insertValues(tx, factsTable, factColumns, facts.streams);
    await insertValues(tx, feedbackTable, feedbackColumns, facts.feedback);
    if (!counted) countFacts(this.cells, facts.streams, 1);
  }

  /** Takes out deltas counted beforehand for a record that was not written after all (unchanged, older...). */
  uncount(facts: RecordFacts): void {
    countFacts(this.cells, facts.streams, -1);
  }

  /** Takes a stored call's facts out; its deltas wait for `apply`. */
  async remove(tx: Db, callId: string): Promise<void> {
    // The stored facts are exactly what was added, whatever the building map or the code says now.
    const facts = await tx.all<StreamFact>(
      `SELECT ${factColumns.join(',')} FROM ${factsTable} WHERE call_id = ?`,
      [callId],
    );
    await tx.run(`DELETE FROM ${factsTable} WHERE call_id = ?`, [callId]);
    await tx.run(`DELETE FROM ${feedbackTable} WHERE call_id = ?`, [callId]);
    if (facts.length > 0) accumulateCall(this.cells, facts, -1);
  }

  /** Applied in the transaction, or queued for one merger where writers run side by side (Db.rollupWrites). */
  async apply(tx: Db): Promise<void> {
    await tx.rollupWrites.apply(tx, this.cells);
  }
}

/** Adds rollup deltas to the rollup tables now (upserts in one key order, then deletes of emptied rows). */
export async function applyRollupCells(tx: Db, all: Cells): Promise<void> {
  for (const g of grains) {
    const cells = all.grains.get(g.table);
    if (cells) await applyTable(tx, g.table, ['day', ...g.dims], sumColumns, 'streams', withoutZero(cells));
  }
  await applyTable(
    tx,
    reachTable,
    ['dim', 'media_type', 'day', 'value'],
    ['calls', 'call_ms'],
    'calls',
    withoutZero(all.reach),
  );
}
