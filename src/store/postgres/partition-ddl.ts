// PostgreSQL DDL for the time-partitioned tables: month partitions found, created (moving rows out of the
// default partition), and dropped once every record in them is past retention.
import type { Db, DroppedPartition } from '../db.ts';
import { lockKeys } from './postgres-locks.ts';

/** A range-partitioned table and the column (epoch ms) it is partitioned on. */
export interface PartitionedTable {
  table: string;
  column: string;
}

/**
 * The largest per-call tables, partitioned by month of the call's start: call_streams on call_start_time,
 * stream_facts on day (the UTC day of the same start, so both split at the same month boundaries).
 */
export const partitionedTables: readonly PartitionedTable[] = [
  { table: 'call_streams', column: 'call_start_time' },
  { table: 'stream_facts', column: 'day' },
];

export interface PartitionInfo {
  name: string;
  /** Inclusive lower bound (epoch ms); null for the default partition. */
  from: number | null;
  /** Exclusive upper bound (epoch ms); null for the default partition. */
  to: number | null;
}

/** Start of the UTC month holding t (epoch ms). */
export function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonth(start: number): number {
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function partitionName(table: string, start: number): string {
  const d = new Date(start);
  const y = d.getUTCFullYear();
  // A sign keeps names of far-away (broken) dates valid identifiers and distinct.
  const year = y < 0 ? `n${-y}` : String(y).padStart(4, '0');
  return `${table}_m${year}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export const defaultPartition = (table: string) => `${table}_default`;

const safeName = /^[a-z_][a-z0-9_]*$/;
function ident(name: string): string {
  if (!safeName.test(name)) throw new Error(`unsafe SQL identifier "${name}"`);
  return name;
}

/** The partitions of a table in the current schema, with their bounds. */
export async function listPartitions(db: Db, table: string): Promise<PartitionInfo[]> {
  const rows = await db.all<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass(?) ORDER BY c.relname`,
    [ident(table)],
  );
  return rows.map((r) => {
    const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(r.bound);
    return { name: r.name, from: m ? Number(m[1]) : null, to: m ? Number(m[2]) : null };
  });
}

/** True when the table exists and is partitioned (migration 401 ran on PostgreSQL). */
export async function isPartitioned(db: Db, table: string): Promise<boolean> {
  const r = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM pg_partitioned_table WHERE partrelid = to_regclass(?)`,
    [ident(table)],
  );
  return Number(r?.n ?? 0) > 0;
}

// Partition DDL waits at most this long for locks, so a busy table delays maintenance, never ingest.
const lockTimeout = "SET LOCAL lock_timeout = '5s'";
// One partition change at a time per store; every collector process may try.
const ddlLock = `SELECT pg_advisory_xact_lock(${lockKeys('partitions')})`;

/**
 * Creates the month partition [start, next month) of t.table unless it exists. Rows of that month already in
 * the default partition are moved into it first (ATTACH requires the default to hold none of its range).
 * Built standalone and attached, so the parent is locked only SHARE UPDATE EXCLUSIVE (inserts keep going).
 * Returns the rows moved, or null when the partition already existed.
 */
export async function createMonthPartition(
  db: Db,
  t: PartitionedTable,
  start: number,
): Promise<number | null> {
  const name = ident(partitionName(t.table, start));
  const def = ident(defaultPartition(t.table));
  const parent = ident(t.table);
  const col = ident(t.column);
  const end = nextMonth(start);
  return db.transaction(async (tx) => {
    await tx.exec(lockTimeout);
    await tx.get(ddlLock);
    if (await tx.get('SELECT 1 AS x FROM pg_class WHERE oid = to_regclass(?)', [name])) return null;
    await tx.exec(`CREATE TABLE ${name} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    // The default is taken exclusively up front (not upgraded later from the DELETE's lock): no lock upgrade,
    // no deadlock with a writer; held only for the move and the attach's check of the default.
    await tx.exec(`LOCK TABLE ${def} IN ACCESS EXCLUSIVE MODE`);
    let moved = 0;
    const range = `${col} >= ${start} AND ${col} < ${end}`;
    if (await tx.get(`SELECT 1 AS x FROM ${def} WHERE ${range} LIMIT 1`)) {
      moved = (await tx.run(`INSERT INTO ${name} SELECT * FROM ${def} WHERE ${range}`)).changes;
      await tx.run(`DELETE FROM ${def} WHERE ${range}`);
    }
    await tx.exec(`ALTER TABLE ${parent} ATTACH PARTITION ${name} FOR VALUES FROM (${start}) TO (${end})`);
    return moved;
  });
}

/** The month (start) of one row of the default partition that belongs in a month partition, if any. */
export async function strayMonth(db: Db, t: PartitionedTable): Promise<number | null> {
  const r = await db.get<{ v: number | null }>(
    `SELECT MIN(${ident(t.column)}) AS v FROM ${ident(defaultPartition(t.table))}`,
  );
  return r?.v == null ? null : monthStart(Number(r.v));
}

export type { DroppedPartition };

/**
 * Whether every call with rows in the month [from, to) ended before the cutoff (the retention rule of
 * src/privacy: end, else start, else receipt time). Calls are found by their start (the partition key), plus
 * the rare call without a start whose facts fell into this month by their stream's start.
 */
async function monthExpired(db: Db, partition: string, from: number, to: number, cutoff: number) {
  const callTime = 'COALESCE(c.end_time, c.start_time, c.received_at)';
  const r = await db.get(
    `SELECT 1 AS x FROM calls c WHERE c.start_time >= ? AND c.start_time < ? AND ${callTime} >= ?
     UNION ALL
     SELECT 1 AS x FROM calls c WHERE c.start_time IS NULL AND ${callTime} >= ?
       AND EXISTS (SELECT 1 FROM ${ident(partition)} p WHERE p.call_id = c.id)
     LIMIT 1`,
    [from, to, cutoff, cutoff],
  );
  return r === undefined;
}

/**
 * Drops the month partitions of one table that lie wholly before the cutoff and hold only expired calls.
 * Each table in its own transaction with its parent locked first, so no writer can add a row between the
 * check and the drop, and no lock is held across two tables (writers lock them in either order).
 */
export async function dropExpiredPartitions(
  db: Db,
  t: PartitionedTable,
  cutoff: number,
  dryRun: boolean,
): Promise<DroppedPartition[]> {
  const candidates = (await listPartitions(db, t.table)).filter(
    (p): p is PartitionInfo & { from: number; to: number } =>
      p.from !== null && p.to !== null && p.to <= cutoff,
  );
  const out: DroppedPartition[] = [];
  for (const p of candidates) {
    const dropped = await db.transaction(async (tx) => {
      await tx.exec(lockTimeout);
      await tx.get(ddlLock);
      if (!dryRun) await tx.exec(`LOCK TABLE ${ident(t.table)} IN ACCESS EXCLUSIVE MODE`);
      if (!(await tx.get('SELECT 1 AS x FROM pg_class WHERE oid = to_regclass(?)', [p.name]))) return null;
      if (!(await monthExpired(tx, p.name, p.from, p.to, cutoff))) return null;
      const n = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${ident(p.name)}`);
      if (!dryRun) await tx.exec(`DROP TABLE ${ident(p.name)}`);
      return { table: t.table, partition: p.name, from: p.from, to: p.to, rows: Number(n?.n ?? 0) };
    });
    if (dropped) out.push(dropped);
  }
  return out;
}
