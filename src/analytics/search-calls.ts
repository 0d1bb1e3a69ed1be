// The filtered call list behind the API and the dashboard: time window, user, poor only, media type, text search,
// newest first, paged by offset or by a (start, id) key so deep pages stay fast.
import type { CallRow } from '../normalize/rows.ts';
import type { ReadDb, SqlValue } from '../store/db.ts';
import type { CallList, CallSummary, ListCallsQuery, RecordView } from './call-views.ts';
import { isoTime } from './get-call.ts';
import { periodBounds } from './period-bounds.ts';
import type { QualityQuery } from './quality-query.ts';
import { columnQuery } from './query-quality.ts';

export interface CallSearch extends ListCallsQuery {
  /**
   * Only calls this user (Entra object id) took part in or organized; each then carries `ownStreamCount` and
   * `ownPoorStreamCount`, the streams whose client end is that user (as the per-user numbers count them), and
   * `poorOnly` judges those streams.
   */
  userId?: string;
  /** Only calls with at least one poor stream (the user's own, with userId). */
  poorOnly?: boolean;
  /** Only calls with media of this type (audio, video, vbss, other). */
  mediaType?: string;
  /** Only calls with a stream whose client end was in this building ('' for streams in no known building). */
  building?: string;
  /**
   * Quality filters (media type, network type, building...): only calls with a stream passing all of them, the
   * user's own with userId; with poorOnly that stream must be the poor one (poor video with media-type=video).
   */
  filters?: QualityQuery['filters'];
  /** Only calls with a session or segment that failed at this stage (callSetup, midcall), for this reason. */
  failure?: { stage?: string; reason?: string };
  /** Case-insensitive substring of a participant's (the organizer's too) name or UPN, or an exact call id. */
  text?: string;
  /** Keyset paging: only calls after this one in the list's order (start time descending, then id). */
  after?: { startTime: number; id: string };
}

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
    ownStreamCount: null,
    ownPoorStreamCount: null,
  };
}

/** `%`, `_` and `\` in user text match themselves. */
const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereOf(
  q: CallSearch,
  capabilities: ReadDb['capabilities'],
): { clause: string; params: SqlValue[] } {
  const { conds: where, params } = periodBounds('c.start_time', q);
  const cq = columnQuery({ by: [], filters: q.filters ?? {} });
  const filtered = cq.filters.size > 0;
  if (q.userId) {
    // Driven from the participants' identity index: the planner looks the few matching calls up by id instead
    // of visiting every call in the window. The organizer is one of the participants in every record view.
    where.push('c.id IN (SELECT p.call_id FROM call_participants p WHERE p.identity_id = ?)');
    params.push(q.userId);
    // Poor means the user's own streams were poor, checked by the facts' key (call_id first).
    if (q.poorOnly && !filtered)
      where.push(
        "EXISTS (SELECT 1 FROM stream_facts f WHERE f.call_id = c.id AND f.user_id = ? AND f.quality = 'poor')",
      );
    if (q.poorOnly && !filtered) params.push(q.userId);
  } else if (q.poorOnly && !filtered) where.push('c.poor_stream_count > 0');
  if (filtered) {
    // One stream passes every filter (and is the user's own, and poor, when asked): the same streams the
    // quality pages count, so a row's calls there are the calls listed here.
    const conds = ['f.call_id = c.id'];
    for (const [col, values] of cq.filters) {
      conds.push(`f.${col} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    }
    if (q.userId) {
      conds.push('f.user_id = ?');
      params.push(q.userId);
    }
    if (q.poorOnly) conds.push("f.quality = 'poor'");
    where.push(`EXISTS (SELECT 1 FROM stream_facts f WHERE ${conds.join(' AND ')})`);
  }
  if (q.mediaType) {
    where.push('EXISTS (SELECT 1 FROM call_media m WHERE m.call_id = c.id AND m.media_type = ?)');
    params.push(q.mediaType);
  }
  if (q.building !== undefined) {
    where.push('EXISTS (SELECT 1 FROM stream_facts b WHERE b.call_id = c.id AND b.building = ?)');
    params.push(q.building);
  }
  if (q.failure && (q.failure.stage || q.failure.reason !== undefined)) {
    // The failed calls behind a reliability reason: a segment's failure or, with no segments, its session's.
    const one = (t: string, alias: string) => {
      const conds = [`${alias}.call_id = c.id`, `${alias}.failure_stage IS NOT NULL`];
      if (q.failure?.stage) {
        conds.push(`${alias}.failure_stage = ?`);
        params.push(q.failure.stage);
      }
      if (q.failure?.reason !== undefined) {
        conds.push(`${alias}.failure_reason = ?`);
        params.push(q.failure.reason);
      }
      return `EXISTS (SELECT 1 FROM ${t} ${alias} WHERE ${conds.join(' AND ')})`;
    };
    where.push(`(${one('call_segments', 'g')} OR ${one('call_sessions', 's')})`);
  }
  const text = q.text?.trim();
  if (text) {
    const p = likePattern(text);
    // Case-insensitive without LOWER() on every row: SQLite's LIKE already ignores ASCII case; PostgreSQL has ILIKE.
    const like = capabilities.ilike ? 'ILIKE' : 'LIKE';
    // One id set (participants by name or UPN, or the call id itself): the calls are then fetched by id.
    where.push(
      `c.id IN (SELECT p2.call_id FROM call_participants p2
          WHERE p2.display_name ${like} ? ESCAPE '\\' OR p2.upn ${like} ? ESCAPE '\\'
        UNION SELECT ?)`,
    );
    params.push(p, p, text);
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Counting more matches than this for a filtered list would cost a scan of the whole window; the pager says "1,000+". */
export const countCap = 1000;

/**
 * Calls matching every given filter, newest first. `total` counts all matches when only the time window
 * filters (an index range count); with other filters it stops at countCap, and `totalCapped` says there are more.
 */
export async function searchCalls(
  db: ReadDb,
  q: CallSearch = {},
): Promise<CallList & { totalCapped: boolean }> {
  const { clause, params } = whereOf(q, db.capabilities);
  const limit = Math.max(0, Math.floor(q.limit ?? defaultCallLimit));
  let page = clause;
  const pageParams = [...params];
  if (q.after) {
    // Written as a range plus a tie-break so the start_time index serves it (an OR of two ranges would not).
    page += `${clause ? ' AND' : 'WHERE'} c.start_time <= ? AND (c.start_time < ? OR c.id > ?)`;
    pageParams.push(q.after.startTime, q.after.startTime, q.after.id);
  }
  const offset = q.after ? 0 : Math.max(0, Math.floor(q.offset ?? 0));
  const rows = await db.all<CallRow>(
    `SELECT c.* FROM calls c ${page} ORDER BY c.start_time DESC, c.id LIMIT ? OFFSET ?`,
    [...pageParams, limit, offset],
  );
  const onlyTime =
    !q.userId &&
    !q.poorOnly &&
    !q.mediaType &&
    q.building === undefined &&
    !q.text?.trim() &&
    !q.failure &&
    !Object.values(q.filters ?? {}).some((v) => v?.length);
  const total = onlyTime
    ? await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM calls c ${clause}`, params)
    : await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM calls c ${clause} LIMIT ?) x`, [
        ...params,
        countCap + 1,
      ]);
  const n = Number(total?.n ?? 0);
  const calls = rows.map(callSummaryOf);
  if (q.userId && calls.length) {
    const own = await db.all<{ call_id: string; n: number; poor: number }>(
      `SELECT call_id, COUNT(*) AS n, SUM(CASE WHEN quality = 'poor' THEN 1 ELSE 0 END) AS poor FROM stream_facts
       WHERE user_id = ? AND call_id IN (${calls.map(() => '?').join(',')}) GROUP BY call_id`,
      [q.userId, ...calls.map((c) => c.id)],
    );
    const byCall = new Map(own.map((o) => [o.call_id, o]));
    for (const c of calls) {
      c.ownStreamCount = Number(byCall.get(c.id)?.n ?? 0);
      c.ownPoorStreamCount = Number(byCall.get(c.id)?.poor ?? 0);
    }
  }
  return {
    calls,
    total: onlyTime ? n : Math.min(n, countCap),
    totalCapped: !onlyTime && n > countCap,
  };
}
