// The call list: calls in a time window, newest first, with counts and the poor-stream tally for each.
import type { CallRow } from '../normalize/rows.ts';
import type { ReadDb, SqlValue } from '../store/db.ts';
import type { CallList, CallSummary, ListCallsQuery, RecordView } from './call-views.ts';
import { isoTime } from './get-call.ts';

export const defaultCallLimit = 100;

/** A call row as the call lists (this one and search-calls.ts) show it. */
export function callSummaryOf(r: CallRow): CallSummary {
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

/** Calls whose start lies in [since, until), newest first; `total` counts all matches for paging. */
export async function listCalls(db: ReadDb, query: ListCallsQuery = {}): Promise<CallList> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (query.since !== undefined) {
    where.push('start_time >= ?');
    params.push(query.since);
  }
  if (query.until !== undefined) {
    where.push('start_time < ?');
    params.push(query.until);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const limit = Math.max(0, Math.floor(query.limit ?? defaultCallLimit));
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const rows = await db.all<CallRow>(
    `SELECT * FROM calls ${clause} ORDER BY start_time DESC, id LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM calls ${clause}`, params);
  return { calls: rows.map(callSummaryOf), total: Number(total?.n ?? 0) };
}
