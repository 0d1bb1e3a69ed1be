// The audit log repository: one row per investigator read of end-user identifiable information (who, when, what, how).
import type { Db, SqlValue } from './db.ts';

export interface AuditEntry {
  /** Epoch ms of the read. */
  at: number;
  /** `token:<fingerprint>` (never the token itself) or `local` / `cli:<name>`. */
  actor: string;
  role: string;
  /** How the caller was recognised: `token`, `local`, `cli`. */
  via: string;
  /** What was read: `call.read`, `user.calls`, `calls.list`, ... */
  action: string;
  /** `call`, `user`, `query`. */
  subjectKind: string;
  /** A call id, a user's pseudonym token, or a sanitized query string. */
  subject: string | null;
  /** The route pattern it was read through (`/api/v1/calls/{id}`), never the concrete URL. */
  route: string | null;
  /** The investigator's stated reason, when given. */
  reason: string | null;
  /** Rows returned, for lists. */
  rowsReturned: number | null;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

export interface AuditLog {
  /** Appends one entry; throws when it cannot be written (the read it records must then fail). */
  record(e: AuditEntry): Promise<void>;
  /** Entries newest first. */
  list(q?: AuditQuery): Promise<StoredAuditEntry[]>;
}

export function createAuditLog(db: Db): AuditLog {
  return { record: (e) => recordAudit(db, e), list: (q) => listAudit(db, q) };
}

async function recordAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.run(
    `INSERT INTO audit_log (at, actor, role, via, action, subject_kind, subject, route, reason, rows_returned)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.at, e.actor, e.role, e.via, e.action, e.subjectKind, e.subject, e.route, e.reason, e.rowsReturned],
  );
}

export interface AuditQuery {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  actor?: string;
  /** Any of these subjects (a call id, or every token a user had across key rotations). */
  subjects?: readonly string[];
  /** Newest first; default 1000. */
  limit?: number;
}

interface Row {
  id: number;
  at: number;
  actor: string;
  role: string;
  via: string;
  action: string;
  subject_kind: string;
  subject: string | null;
  route: string | null;
  reason: string | null;
  rows_returned: number | null;
}

async function listAudit(db: Db, q: AuditQuery = {}): Promise<StoredAuditEntry[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.since !== undefined) {
    where.push('at >= ?');
    params.push(q.since);
  }
  if (q.until !== undefined) {
    where.push('at < ?');
    params.push(q.until);
  }
  if (q.actor !== undefined) {
    where.push('actor = ?');
    params.push(q.actor);
  }
  if (q.subjects) {
    if (q.subjects.length === 0) return [];
    where.push(`subject IN (${q.subjects.map(() => '?').join(',')})`);
    params.push(...q.subjects);
  }
  const rows = await db.all<Row>(
    `SELECT id, at, actor, role, via, action, subject_kind, subject, route, reason, rows_returned FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
    [...params, q.limit ?? 1000],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor,
    role: r.role,
    via: r.via,
    action: r.action,
    subjectKind: r.subject_kind,
    subject: r.subject,
    route: r.route,
    reason: r.reason,
    rowsReturned: r.rows_returned === null ? null : Number(r.rows_returned),
  }));
}
