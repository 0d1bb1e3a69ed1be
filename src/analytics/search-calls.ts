// The filtered call list behind the API and the dashboard: time window, user, poor only, media type, text search,
// newest first, paged by offset or by a (start, id) key so deep pages stay fast.
import type { CallRow } from '../normalize/rows.ts';
import type { Db, SqlValue } from '../store/db.ts';
import type { CallList, CallSummary, ListCallsQuery, RecordView } from './call-views.ts';
import { isoTime } from './get-call.ts';
import { defaultCallLimit } from './list-calls.ts';

export interface CallSearch extends ListCallsQuery {
  /** Only calls this user (Entra object id) took part in or organized. */
  userId?: string;
  /** Only calls with at least one poor stream. */
  poorOnly?: boolean;
  /** Only calls with media of this type (audio, video, vbss, other). */
  mediaType?: string;
  /** Case-insensitive substring of the call id, the organizer's or a participant's name or UPN. */
  text?: string;
  /** Keyset paging: only calls after this one in the list's order (start time descending, then id). */
  after?: { startTime: number; id: string };
}

function summaryOf(r: CallRow): CallSummary {
  return {
    id: r.id,
    version: Number(r.version),
    type: r.type,
    modalities: r.modalities ? r.modalities.split(',') : [],
    startDateTime: isoTime(r.start_time === null ? null : Number(r.start_time)),
    endDateTime: isoTime(r.end_time === null ? null : Number(r.end_time)),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    organizerName: r.organizer_name,
    organizerId: r.organizer_id,
    organizerTenantId: r.organizer_tenant_id,
    view: r.view as RecordView,
    viewTenantId: r.view_tenant_id,
    participantCount: Number(r.participant_count),
    sessionCount: Number(r.session_count),
    streamCount: Number(r.stream_count),
    poorStreamCount: Number(r.poor_stream_count),
  };
}

/** `%`, `_` and `\` in user text match themselves. */
const likePattern = (s: string): string => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereOf(q: CallSearch): { clause: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.since !== undefined) {
    where.push('c.start_time >= ?');
    params.push(q.since);
  }
  if (q.until !== undefined) {
    where.push('c.start_time < ?');
    params.push(q.until);
  }
  if (q.poorOnly) where.push('c.poor_stream_count > 0');
  if (q.userId) {
    where.push(
      '(c.organizer_id = ? OR EXISTS (SELECT 1 FROM call_participants p WHERE p.call_id = c.id AND p.identity_id = ?))',
    );
    params.push(q.userId, q.userId);
  }
  if (q.mediaType) {
    where.push('EXISTS (SELECT 1 FROM call_media m WHERE m.call_id = c.id AND m.media_type = ?)');
    params.push(q.mediaType);
  }
  const text = q.text?.trim();
  if (text) {
    const p = likePattern(text);
    where.push(
      `(LOWER(c.id) LIKE ? ESCAPE '\\' OR LOWER(c.organizer_name) LIKE ? ESCAPE '\\'
        OR LOWER(c.organizer_upn) LIKE ? ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM call_participants p2 WHERE p2.call_id = c.id
          AND (LOWER(p2.display_name) LIKE ? ESCAPE '\\' OR LOWER(p2.upn) LIKE ? ESCAPE '\\')))`,
    );
    params.push(p, p, p, p, p);
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Calls matching every given filter, newest first; `total` counts all matches (for the pager). */
export async function searchCalls(db: Db, q: CallSearch = {}): Promise<CallList> {
  const { clause, params } = whereOf(q);
  const limit = Math.max(0, Math.floor(q.limit ?? defaultCallLimit));
  let page = clause;
  const pageParams = [...params];
  if (q.after) {
    page += `${clause ? ' AND' : 'WHERE'} (c.start_time < ? OR (c.start_time = ? AND c.id > ?))`;
    pageParams.push(q.after.startTime, q.after.startTime, q.after.id);
  }
  const offset = q.after ? 0 : Math.max(0, Math.floor(q.offset ?? 0));
  const rows = await db.all<CallRow>(
    `SELECT c.* FROM calls c ${page} ORDER BY c.start_time DESC NULLS LAST, c.id LIMIT ? OFFSET ?`,
    [...pageParams, limit, offset],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM calls c ${clause}`, params);
  return { calls: rows.map(summaryOf), total: Number(total?.n ?? 0) };
}
