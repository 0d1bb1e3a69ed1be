// A call record's rows as values in column order, and the statements that write them (the write hot path).
import { type CallRow, type CallRows, tableColumns, tables } from '../normalize/rows.ts';
import type { Db, SqlValue } from './db.ts';

export type RowTable = keyof typeof tables;
/** Row tables in delete order (children first). */
export const rowTables = Object.keys(tables) as RowTable[];
export const columnsOf: Record<RowTable, readonly string[]> = Object.fromEntries(
  rowTables.map((k) => [k, Object.keys(tableColumns[k])]),
) as Record<RowTable, string[]>;

/** Every table's rows, each row its values in columnsOf order. */
export type TableValues = Record<RowTable, SqlValue[][]>;

/**
 * A record's rows packed for writing (built where the record was prepared, e.g. a worker thread): the call row
 * as an object (its id, version, times and view are read) and every table's values.
 */
export interface PackedRows {
  packed: true;
  call: CallRow;
  values: TableValues;
}

type ToValues = (row: object) => SqlValue[];

/**
 * One function per table, `(r) => [r.call_id ?? null, ...]`: property reads by name stay monomorphic, several
 * times faster than a loop over column names for ~50-column rows. Column names come from rows.ts (identifiers).
 */
const toValues = Object.fromEntries(
  rowTables.map((k) => {
    const body = columnsOf[k].map((c) => `r.${c} ?? null`).join(',');
    return [k, new Function('r', `return [${body}];`) as ToValues];
  }),
) as Record<RowTable, ToValues>;

export function packRows(rows: CallRows): PackedRows {
  const values = {} as TableValues;
  for (const k of rowTables) {
    if (k === 'call') values.call = [toValues.call(rows.call)];
    else {
      const list = rows[k] as readonly object[];
      const out: SqlValue[][] = new Array(list.length);
      for (let i = 0; i < list.length; i++) out[i] = toValues[k](list[i]);
      values[k] = out;
    }
  }
  return { packed: true, call: rows.call, values };
}

export function isPacked(rows: CallRows | PackedRows): rows is PackedRows {
  return (rows as PackedRows).packed === true;
}

/** The packed rows with the call row's view columns replaced (a version arriving without its tenant). */
export function withCallView(rows: PackedRows, call: CallRow): PackedRows {
  return { ...rows, call, values: { ...rows.values, call: [toValues.call(call)] } };
}

/** Row counts per INSERT on the portable path: few distinct statement shapes, so prepared statements are reused. */
const chunkSizes = [64, 16, 4, 1];
const insertSql = new Map<string, string>();

function insertStatement(table: string, cols: readonly string[], n: number): string {
  const key = `${table}:${n}`;
  let sql = insertSql.get(key);
  if (!sql) {
    const one = `(${cols.map(() => '?').join(',')})`;
    sql = `INSERT INTO ${table} (${cols.join(',')}) VALUES ${Array(n).fill(one).join(',')}`;
    insertSql.set(key, sql);
  }
  return sql;
}

/**
 * Inserts rows given as values in `cols` order. Where the engine runs statements in-process (SQLite), one cached
 * single-row statement per row (fewest values copied, no promise per row); elsewhere multi-row INSERTs, so a
 * round trip carries up to 64 rows.
 */
export async function insertValues(
  db: Db,
  table: string,
  cols: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  if (db.capabilities.runEach && db.runEach) {
    await db.runEach(insertStatement(table, cols, 1), rows);
    return;
  }
  let i = 0;
  while (i < rows.length) {
    const left = rows.length - i;
    const n = chunkSizes.find((c) => c <= left && c * cols.length <= db.capabilities.maxParams) ?? 1;
    const params: SqlValue[] = new Array(n * cols.length);
    let p = 0;
    for (let r = i; r < i + n; r++) for (const v of rows[r]) params[p++] = v;
    await db.run(insertStatement(table, cols, n), params);
    i += n;
  }
}

/** Writes every row of a record (the call row first: children point at it). */
export async function insertRecordRows(db: Db, values: TableValues): Promise<void> {
  await insertValues(db, tables.call, columnsOf.call, values.call);
  for (const k of rowTables) if (k !== 'call') await insertValues(db, tables[k], columnsOf[k], values[k]);
}

export async function deleteRecordRows(db: Db, id: string): Promise<void> {
  for (const k of rowTables)
    await db.run(`DELETE FROM ${tables[k]} WHERE ${k === 'call' ? 'id' : 'call_id'} = ?`, [id]);
}

/** How many rows a record writes (batches are bounded by rows, not only by records). */
export function rowCount(rows: CallRows | PackedRows): number {
  const tablesOf = isPacked(rows) ? rows.values : rows;
  let n = 0;
  for (const k of rowTables) if (k !== 'call') n += (tablesOf[k] as readonly unknown[]).length;
  return n + 1;
}
