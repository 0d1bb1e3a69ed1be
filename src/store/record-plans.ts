// Per-record facts the version planner decides on: notifications seen, versions known and stored, call times.
import type { Db } from './db.ts';

export interface RecordPlan {
  recordId: string;
  firstSeenAt: number;
  firstNotifiedAt: number | null;
  lastNotifiedAt: number | null;
  /** Counts notifications; a fetch remembers the count it started at, so later ones mark the record dirty. */
  notifySeq: number;
  fetchedSeq: number;
  fetches: number;
  knownVersion: number | null;
  knownModifiedAt: number | null;
  storedVersion: number | null;
  firstStoredAt: number | null;
  lastFetchedAt: number | null;
  startAt: number | null;
  endAt: number | null;
  finalChecked: boolean;
  missingSince: number | null;
}

interface Row {
  record_id: string;
  first_seen_at: number;
  first_notified_at: number | null;
  last_notified_at: number | null;
  notify_seq: number;
  fetched_seq: number;
  fetches: number;
  known_version: number | null;
  known_modified_at: number | null;
  stored_version: number | null;
  first_stored_at: number | null;
  last_fetched_at: number | null;
  start_at: number | null;
  end_at: number | null;
  final_checked: number;
  missing_since: number | null;
}

const num = (v: number | null) => (v == null ? null : Number(v));

function toPlan(r: Row): RecordPlan {
  return {
    recordId: r.record_id,
    firstSeenAt: Number(r.first_seen_at),
    firstNotifiedAt: num(r.first_notified_at),
    lastNotifiedAt: num(r.last_notified_at),
    notifySeq: Number(r.notify_seq),
    fetchedSeq: Number(r.fetched_seq),
    fetches: Number(r.fetches),
    knownVersion: num(r.known_version),
    knownModifiedAt: num(r.known_modified_at),
    storedVersion: num(r.stored_version),
    firstStoredAt: num(r.first_stored_at),
    lastFetchedAt: num(r.last_fetched_at),
    startAt: num(r.start_at),
    endAt: num(r.end_at),
    finalChecked: Number(r.final_checked) === 1,
    missingSince: num(r.missing_since),
  };
}

/** `greater(col)`: the larger of the stored and the incoming value, portable between the two dialects. */
const greater = (col: string) =>
  `CASE WHEN record_plans.${col} IS NULL OR excluded.${col} > record_plans.${col} THEN excluded.${col} ELSE record_plans.${col} END`;

/** Reads a plan; inside a PostgreSQL transaction the row is locked so planner decisions on one record serialize. */
export async function getPlan(db: Db, recordId: string, forUpdate = false): Promise<RecordPlan | null> {
  const lock = forUpdate && db.capabilities.rowLocks ? ' FOR UPDATE' : '';
  const r = await db.get<Row>(`SELECT * FROM record_plans WHERE record_id = ?${lock}`, [recordId]);
  return r ? toPlan(r) : null;
}

/** Records `count` change notifications received at `at`. */
export async function noteNotified(db: Db, recordId: string, count: number, at: number): Promise<void> {
  await db.run(
    `INSERT INTO record_plans (record_id, first_seen_at, first_notified_at, last_notified_at, notify_seq)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (record_id) DO UPDATE SET
       first_notified_at = COALESCE(record_plans.first_notified_at, excluded.first_notified_at),
       last_notified_at = ${greater('last_notified_at')},
       notify_seq = record_plans.notify_seq + excluded.notify_seq`,
    [recordId, at, at, at, count],
  );
}

export interface Listed {
  version: number;
  modifiedAt: number | null;
  startAt: number | null;
  endAt: number | null;
}

/** Records what a list page said about a record (its current version and times). */
export async function noteListed(db: Db, recordId: string, seen: Listed, at: number): Promise<void> {
  await db.run(
    `INSERT INTO record_plans (record_id, first_seen_at, known_version, known_modified_at, start_at, end_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (record_id) DO UPDATE SET
       known_version = ${greater('known_version')},
       known_modified_at = ${greater('known_modified_at')},
       start_at = COALESCE(excluded.start_at, record_plans.start_at),
       end_at = COALESCE(excluded.end_at, record_plans.end_at)`,
    [recordId, at, seen.version, seen.modifiedAt, seen.startAt, seen.endAt],
  );
}

export interface Stored {
  version: number;
  startAt: number | null;
  endAt: number | null;
  /** The notification count when the fetch began: everything up to it is now covered. */
  seqAtStart: number;
  /** False when the version was found already stored (no Graph request was made). */
  fetched?: boolean;
  /** The fetch happened after the final horizon: it was the final check. */
  final?: boolean;
}

/** Records a completed fetch whose record is now stored at (at least) `version`. */
export async function noteStored(db: Db, recordId: string, s: Stored, at: number): Promise<void> {
  await db.run(
    `INSERT INTO record_plans (record_id, first_seen_at, stored_version, known_version, first_stored_at,
       last_fetched_at, start_at, end_at, fetched_seq, fetches, final_checked)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (record_id) DO UPDATE SET
       stored_version = ${greater('stored_version')},
       known_version = ${greater('known_version')},
       first_stored_at = COALESCE(record_plans.first_stored_at, excluded.first_stored_at),
       last_fetched_at = excluded.last_fetched_at,
       start_at = COALESCE(excluded.start_at, record_plans.start_at),
       end_at = COALESCE(excluded.end_at, record_plans.end_at),
       fetched_seq = ${greater('fetched_seq')},
       fetches = record_plans.fetches + excluded.fetches,
       final_checked = CASE WHEN excluded.final_checked = 1 THEN 1 ELSE record_plans.final_checked END,
       missing_since = NULL`,
    [
      recordId,
      at,
      s.version,
      s.version,
      at,
      at,
      s.startAt,
      s.endAt,
      s.seqAtStart,
      s.fetched === false ? 0 : 1,
      s.final ? 1 : 0,
    ],
  );
}

/** Records a fetch that found no record (404: not yet, or no longer, available). */
export async function noteMissing(db: Db, recordId: string, at: number): Promise<void> {
  await db.run(
    `UPDATE record_plans SET missing_since = COALESCE(missing_since, ?), last_fetched_at = ?,
       fetches = fetches + 1 WHERE record_id = ?`,
    [at, at, recordId],
  );
}

export async function markFinalChecked(db: Db, recordIds: readonly string[]): Promise<void> {
  for (let i = 0; i < recordIds.length; i += 500) {
    const part = recordIds.slice(i, i + 500);
    await db.run(
      `UPDATE record_plans SET final_checked = 1 WHERE record_id IN (${part.map(() => '?').join(',')})`,
      part,
    );
  }
}

/** Plans whose call ended at or before `endedBy` and whose final check is still to do, by start time. */
export async function plansDueForFinalCheck(db: Db, endedBy: number, limit: number): Promise<RecordPlan[]> {
  const rows = await db.all<Row>(
    `SELECT * FROM record_plans WHERE final_checked = 0 AND end_at IS NOT NULL AND end_at <= ?
     ORDER BY start_at LIMIT ?`,
    [endedBy, limit],
  );
  return rows.map(toPlan);
}

/**
 * Calls that ended at or after `endedSince` which reconciliation or a backfill listed and no change notification
 * ever announced: while notifications are quiet, proof that calls happen and the subscription is not delivering.
 */
export async function countUnannouncedSince(db: Db, endedSince: number): Promise<number> {
  const r = await db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM record_plans WHERE first_notified_at IS NULL AND end_at >= ?',
    [endedSince],
  );
  return Number(r?.n ?? 0);
}

export async function allPlans(db: Db): Promise<RecordPlan[]> {
  return (await db.all<Row>('SELECT * FROM record_plans ORDER BY record_id')).map(toPlan);
}

/**
 * Records that started in [startedSince, startedBefore) whose stored version is older than the newest one a list
 * showed, or that were never stored: what a backfill has not finished.
 */
export async function plansBehind(
  db: Db,
  startedSince: number,
  startedBefore: number,
  limit = 1000,
): Promise<RecordPlan[]> {
  const rows = await db.all<Row>(
    `SELECT * FROM record_plans WHERE start_at >= ? AND start_at < ? AND known_version IS NOT NULL
       AND (stored_version IS NULL OR stored_version < known_version)
     ORDER BY start_at LIMIT ?`,
    [startedSince, startedBefore, limit],
  );
  return rows.map(toPlan);
}

/**
 * The version planner's per-record facts. Bound to a transaction (Store.transaction), `getForUpdate` locks the
 * plan row so the planner's decisions on one record serialize; outside one it reads like `get`.
 */
export interface RecordPlanRepository {
  get(recordId: string): Promise<RecordPlan | null>;
  getForUpdate(recordId: string): Promise<RecordPlan | null>;
  noteNotified(recordId: string, count: number, at: number): Promise<void>;
  noteListed(recordId: string, seen: Listed, at: number): Promise<void>;
  noteStored(recordId: string, stored: Stored, at: number): Promise<void>;
  noteMissing(recordId: string, at: number): Promise<void>;
  markFinalChecked(recordIds: readonly string[]): Promise<void>;
  dueForFinalCheck(endedBy: number, limit: number): Promise<RecordPlan[]>;
  countUnannouncedSince(endedSince: number): Promise<number>;
  behind(startedSince: number, startedBefore: number, limit?: number): Promise<RecordPlan[]>;
}

export function createRecordPlanRepository(db: Db): RecordPlanRepository {
  return {
    get: (recordId) => getPlan(db, recordId),
    getForUpdate: (recordId) => getPlan(db, recordId, true),
    noteNotified: (recordId, count, at) => noteNotified(db, recordId, count, at),
    noteListed: (recordId, seen, at) => noteListed(db, recordId, seen, at),
    noteStored: (recordId, stored, at) => noteStored(db, recordId, stored, at),
    noteMissing: (recordId, at) => noteMissing(db, recordId, at),
    markFinalChecked: (recordIds) => markFinalChecked(db, recordIds),
    dueForFinalCheck: (endedBy, limit) => plansDueForFinalCheck(db, endedBy, limit),
    countUnannouncedSince: (endedSince) => countUnannouncedSince(db, endedSince),
    behind: (since, before, limit) => plansBehind(db, since, before, limit),
  };
}
