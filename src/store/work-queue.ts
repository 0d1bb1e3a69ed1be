// The durable work queue: one row per (kind, key), a due time, and a lease so a crashed worker's claim is retaken.
import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';

export interface Job {
  id: number;
  kind: string;
  key: string;
  dueAt: number;
  attempts: number;
  payload: string | null;
  lastError: string | null;
}

/** A job a worker holds; the lease token proves the claim is still its own when it finishes. */
export interface ClaimedJob extends Job {
  leaseToken: string;
  leaseUntil: number;
  revision: number;
}

export interface QueueStats {
  depth: number;
  due: number;
  leased: number;
  /** Due time of the oldest job that is due now and not being worked on (null when none). */
  oldestDueAt: number | null;
  byKind: Record<string, number>;
}

interface Row {
  id: number;
  kind: string;
  job_key: string;
  due_at: number;
  attempts: number;
  revision: number;
  lease_token: string | null;
  lease_until: number | null;
  payload: string | null;
  last_error: string | null;
}

function toJob(r: Row): ClaimedJob {
  return {
    id: Number(r.id),
    kind: r.kind,
    key: r.job_key,
    dueAt: Number(r.due_at),
    attempts: Number(r.attempts),
    payload: r.payload,
    lastError: r.last_error,
    leaseToken: r.lease_token ?? '',
    leaseUntil: Number(r.lease_until ?? 0),
    revision: Number(r.revision),
  };
}

export interface EnqueueOptions {
  kind: string;
  key: string;
  dueAt: number;
  payload?: string | null;
  /** 'replace' sets the due time as given; 'earliest' keeps an earlier one already queued. */
  due?: 'replace' | 'earliest';
}

/**
 * Adds a job or reschedules the existing one with the same (kind, key); a held lease stays in place so the
 * worker that holds it sees (via the revision) that the job changed while it ran.
 */
export async function enqueue(db: Db, job: EnqueueOptions, now: number): Promise<void> {
  const dueSql =
    job.due === 'earliest'
      ? 'CASE WHEN excluded.due_at < work_queue.due_at THEN excluded.due_at ELSE work_queue.due_at END'
      : 'excluded.due_at';
  await db.run(
    `INSERT INTO work_queue (kind, job_key, due_at, attempts, revision, payload, created_at, updated_at)
     VALUES (?, ?, ?, 0, 0, ?, ?, ?)
     ON CONFLICT (kind, job_key) DO UPDATE SET due_at = ${dueSql},
       payload = COALESCE(excluded.payload, work_queue.payload),
       revision = work_queue.revision + 1, updated_at = excluded.updated_at`,
    [job.kind, job.key, job.dueAt, job.payload ?? null, now, now],
  );
}

export interface ClaimOptions {
  /** Names the worker in the lease token (for diagnosis only). */
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  kinds?: readonly string[];
}

/**
 * Claims up to `limit` due jobs whose lease is free or expired, oldest due first. PostgreSQL skips rows other
 * processes are claiming (FOR UPDATE SKIP LOCKED); SQLite has one writer, so a transactional UPDATE suffices.
 */
export async function claim(db: Db, options: ClaimOptions): Promise<ClaimedJob[]> {
  const { now, leaseMs, limit } = options;
  const token = `${options.owner}:${randomUUID()}`;
  const kinds = options.kinds ?? [];
  const kindSql = kinds.length ? ` AND kind IN (${kinds.map(() => '?').join(',')})` : '';
  const lock = db.capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await db.transaction((tx) =>
    tx.all<Row>(
      `UPDATE work_queue SET lease_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM work_queue
         WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?)${kindSql}
         ORDER BY due_at, id LIMIT ?${lock})
       RETURNING *`,
      [token, now + leaseMs, now, now, now, ...kinds, limit],
    ),
  );
  return rows.map(toJob).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
}

/**
 * Ends a claim. With `nextDueAt` null the job is removed, unless it was rescheduled while held (then only the
 * lease is dropped and the new due time stands); otherwise it is due again at nextDueAt with attempts reset.
 * Returns false when the lease had already been lost to another worker.
 */
export async function finish(
  db: Db,
  job: ClaimedJob,
  nextDueAt: number | null,
  now: number,
  options: { authoritative?: boolean } = {},
): Promise<boolean> {
  if (nextDueAt === null) {
    // `authoritative`: the caller decided knowing everything that happened meanwhile (the planner), so a
    // reschedule made while the job was held does not keep it alive.
    const del = options.authoritative
      ? await db.run('DELETE FROM work_queue WHERE id = ? AND lease_token = ?', [job.id, job.leaseToken])
      : await db.run('DELETE FROM work_queue WHERE id = ? AND lease_token = ? AND revision = ?', [
          job.id,
          job.leaseToken,
          job.revision,
        ]);
    if (del.changes > 0) return true;
    const r = await db.run(
      'UPDATE work_queue SET lease_token = NULL, lease_until = NULL, attempts = 0, updated_at = ? WHERE id = ? AND lease_token = ?',
      [now, job.id, job.leaseToken],
    );
    return r.changes > 0;
  }
  const r = await db.run(
    `UPDATE work_queue SET due_at = ?, lease_token = NULL, lease_until = NULL, attempts = 0, last_error = NULL,
       updated_at = ? WHERE id = ? AND lease_token = ?`,
    [nextDueAt, now, job.id, job.leaseToken],
  );
  return r.changes > 0;
}

/** Gives a failed job back to the queue, due again at retryAt, keeping its attempt count and the error text. */
export async function fail(
  db: Db,
  job: ClaimedJob,
  retryAt: number,
  error: string,
  now: number,
): Promise<boolean> {
  const r = await db.run(
    `UPDATE work_queue SET due_at = ?, lease_token = NULL, lease_until = NULL, last_error = ?, updated_at = ?
     WHERE id = ? AND lease_token = ?`,
    [retryAt, error.slice(0, 500), now, job.id, job.leaseToken],
  );
  return r.changes > 0;
}

/**
 * Gives a job back untouched, due when it was (a stopping process releases what it holds, so the next one takes
 * it at once instead of waiting for the lease to run out); the claim's attempt is not counted.
 */
export async function release(db: Db, job: ClaimedJob, now: number): Promise<boolean> {
  const r = await db.run(
    `UPDATE work_queue SET lease_token = NULL, lease_until = NULL,
       attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = ?
     WHERE id = ? AND lease_token = ?`,
    [now, job.id, job.leaseToken],
  );
  return r.changes > 0;
}

/** Keeps a claim while its job still runs (a record of many pages behind a throttle); false when it was lost. */
export async function extendLease(
  db: Db,
  job: ClaimedJob,
  leaseUntil: number,
  now: number,
): Promise<boolean> {
  const r = await db.run(
    'UPDATE work_queue SET lease_until = ?, updated_at = ? WHERE id = ? AND lease_token = ?',
    [leaseUntil, now, job.id, job.leaseToken],
  );
  if (r.changes > 0) job.leaseUntil = leaseUntil;
  return r.changes > 0;
}

export async function removeJob(db: Db, kind: string, key: string): Promise<void> {
  await db.run('DELETE FROM work_queue WHERE kind = ? AND job_key = ?', [kind, key]);
}

/** Drops the payload a finished job carried (a lifecycle event handled), so its next run is a routine one. */
export async function clearPayload(db: Db, jobId: number): Promise<void> {
  await db.run('UPDATE work_queue SET payload = NULL WHERE id = ?', [jobId]);
}

export async function getJob(db: Db, kind: string, key: string): Promise<ClaimedJob | undefined> {
  const r = await db.get<Row>('SELECT * FROM work_queue WHERE kind = ? AND job_key = ?', [kind, key]);
  return r ? toJob(r) : undefined;
}

/** Jobs of a kind still queued, oldest due first (what a --once run has left when it ends). */
export async function queuedJobs(db: Db, kind: string, limit = 1000): Promise<Job[]> {
  const rows = await db.all<Row>('SELECT * FROM work_queue WHERE kind = ? ORDER BY due_at, id LIMIT ?', [
    kind,
    limit,
  ]);
  return rows.map(toJob);
}

/** Earliest due time of any job (to sleep until), or null when the queue is empty. */
export async function nextDueAt(db: Db, kinds?: readonly string[]): Promise<number | null> {
  const k = kinds ?? [];
  const where = k.length ? ` WHERE kind IN (${k.map(() => '?').join(',')})` : '';
  const r = await db.get<{ d: number | null }>(`SELECT MIN(due_at) AS d FROM work_queue${where}`, [...k]);
  return r?.d == null ? null : Number(r.d);
}

export async function queueStats(db: Db, now: number): Promise<QueueStats> {
  const rows = await db.all<{
    kind: string;
    depth: number;
    due: number;
    leased: number;
    oldest: number | null;
  }>(
    `SELECT kind, COUNT(*) AS depth,
       SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 END) AS due,
       SUM(CASE WHEN lease_until IS NOT NULL AND lease_until >= ? THEN 1 ELSE 0 END) AS leased,
       MIN(CASE WHEN due_at <= ? AND (lease_until IS NULL OR lease_until < ?) THEN due_at END) AS oldest
     FROM work_queue GROUP BY kind`,
    [now, now, now, now],
  );
  const stats: QueueStats = { depth: 0, due: 0, leased: 0, oldestDueAt: null, byKind: {} };
  for (const r of rows) {
    stats.depth += Number(r.depth);
    stats.due += Number(r.due ?? 0);
    stats.leased += Number(r.leased ?? 0);
    stats.byKind[r.kind] = Number(r.depth);
    if (r.oldest != null) {
      const o = Number(r.oldest);
      stats.oldestDueAt = stats.oldestDueAt === null ? o : Math.min(stats.oldestDueAt, o);
    }
  }
  return stats;
}

/**
 * Frees every lease: only for a database one collector process owns (SQLite), at start, so work a killed
 * process held is retaken at once instead of after its lease runs out.
 */
export async function releaseAllLeases(db: Db): Promise<number> {
  const r = await db.run(
    'UPDATE work_queue SET lease_token = NULL, lease_until = NULL WHERE lease_token IS NOT NULL',
  );
  return r.changes;
}

/** The collector's durable jobs: its job loop, --once runs and (bound to a transaction) the planner. */
export interface WorkQueue {
  enqueue(job: EnqueueOptions, now: number): Promise<void>;
  claim(options: ClaimOptions): Promise<ClaimedJob[]>;
  finish(
    job: ClaimedJob,
    nextDueAt: number | null,
    now: number,
    options?: { authoritative?: boolean },
  ): Promise<boolean>;
  fail(job: ClaimedJob, retryAt: number, error: string, now: number): Promise<boolean>;
  release(job: ClaimedJob, now: number): Promise<boolean>;
  extendLease(job: ClaimedJob, leaseUntil: number, now: number): Promise<boolean>;
  remove(kind: string, key: string): Promise<void>;
  clearPayload(jobId: number): Promise<void>;
  get(kind: string, key: string): Promise<ClaimedJob | undefined>;
  queued(kind: string, limit?: number): Promise<Job[]>;
  nextDueAt(kinds?: readonly string[]): Promise<number | null>;
  stats(now: number): Promise<QueueStats>;
}

export function createWorkQueue(db: Db): WorkQueue {
  return {
    enqueue: (job, now) => enqueue(db, job, now),
    claim: (options) => claim(db, options),
    finish: (job, next, now, options) => finish(db, job, next, now, options),
    fail: (job, retryAt, error, now) => fail(db, job, retryAt, error, now),
    release: (job, now) => release(db, job, now),
    extendLease: (job, leaseUntil, now) => extendLease(db, job, leaseUntil, now),
    remove: (kind, key) => removeJob(db, kind, key),
    clearPayload: (jobId) => clearPayload(db, jobId),
    get: (kind, key) => getJob(db, kind, key),
    queued: (kind, limit) => queuedJobs(db, kind, limit),
    nextDueAt: (kinds) => nextDueAt(db, kinds),
    stats: (now) => queueStats(db, now),
  };
}
