// The failed streams of a window (setup failures and drops, outcomes already left out at ingest), each with the
// client's network: from its own record where Graph gives one, else inferred from the same user's nearest
// successful session within `inferenceWindowMs`, else unknown. Reliability reports place failures with it.
import { classifyFailure, type FailureClass } from '../quality/failure-reasons.ts';
import type { ReadDb, SqlValue } from '../store/db.ts';
import { type DimColumn, factDimColumns, factsTable } from '../store/rollup-grains.ts';
import type { QualityQuery } from './quality-query.ts';
import { DAY } from './quality-sources.ts';
import { columnQuery } from './query-quality.ts';

/** How far (either way, between session starts) the nearest successful session of the same user may be. */
export const inferenceWindowMs = 4 * 3_600_000;

/** The fact columns that describe where the client was; what inference copies from the other session. */
export const networkColumns: readonly DimColumn[] = [
  'building',
  'city',
  'country',
  'region',
  'subnet',
  'network_type',
  'wifi_band',
  'vpn',
  'inside_corp',
].filter((c) => (factDimColumns as readonly string[]).includes(c)) as DimColumn[];

export type Attribution = 'record' | 'inferred' | 'unknown';

export interface FailedStream {
  callId: string;
  sessionIdx: number;
  segmentIdx: number;
  mediaIdx: number;
  streamIdx: number;
  stage: 'callSetup' | 'midcall';
  reason: string | null;
  reasonClass: FailureClass;
  /** Start of the failed session or segment (epoch ms). */
  at: number | null;
  /** The fact's dimension values as stored (day and hour as epoch ms). */
  stored: Record<string, string | number>;
  /** The same with the network columns the attribution gives (equal to `stored` unless inferred). */
  placed: Record<string, string | number>;
  attribution: Attribution;
  /** The session the network was inferred from. */
  inferredFrom?: { callId: string; sessionIdx: number; minutesApart: number };
}

type Row = Record<string, string | number | null>;
const chunk = 400;

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function hasNetwork(r: Row): boolean {
  return (r.network_type ?? '') !== '' || (r.subnet ?? '') !== '';
}

/** The same user's sessions that were set up and not dropped, with their client network, near the given times. */
async function successfulSessions(
  db: ReadDb,
  users: string[],
  from: number,
  to: number,
): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  const cols = networkColumns.map((c) => `f.${c}`).join(', ');
  for (let i = 0; i < users.length; i += chunk) {
    const ids = users.slice(i, i + chunk);
    // call_participants is indexed by identity; the fact's own user column says it was this user's end.
    const rows = await db.all<Row>(
      `SELECT f.user_id, f.call_id, f.session_idx, f.media_type, COALESCE(s.start_time, c.start_time) AS at, ${cols}
       FROM call_participants p
       JOIN calls c ON c.id = p.call_id
       JOIN ${factsTable} f ON f.call_id = p.call_id AND f.user_id = p.identity_id
       JOIN call_sessions s ON s.call_id = f.call_id AND s.session_idx = f.session_idx
       WHERE p.identity_id IN (${ids.map(() => '?').join(',')})
         AND c.start_time <= ? AND COALESCE(c.end_time, c.start_time) >= ?
         AND f.media_idx >= 0 AND f.setup_failed = 0 AND f.dropped = 0
         AND (f.network_type <> '' OR f.subnet <> '')`,
      [...ids, to, from],
    );
    for (const r of rows) {
      const list = out.get(String(r.user_id));
      if (list) list.push(r);
      else out.set(String(r.user_id), [r]);
    }
  }
  return out;
}

/**
 * Every failed stream (and placeholder of a failed media-less session or segment) whose call started in the
 * query's window, attributed. Only `since`/`until` of the query are used; callers filter by `placed` values.
 */
export async function listFailedStreams(
  db: ReadDb,
  q: Pick<QualityQuery, 'since' | 'until'>,
): Promise<FailedStream[]> {
  const cq = columnQuery({ by: [], filters: {}, since: q.since, until: q.until });
  const conds = ['(f.setup_failed = 1 OR f.dropped = 1)'];
  const params: SqlValue[] = [];
  const hours = cq.time.hours ?? {};
  if (hours.from !== undefined) {
    conds.push('f.day >= ?', 'f.hour >= ?');
    params.push(Math.floor(hours.from / DAY) * DAY, hours.from);
  }
  if (hours.to !== undefined) {
    conds.push('f.day <= ?', 'f.hour <= ?');
    params.push(Math.floor(hours.to / DAY) * DAY, hours.to);
  }
  const dims = ['day', 'hour', ...factDimColumns].map((c) => `f.${c}`).join(', ');
  const rows = await db.all<Row>(
    `SELECT f.call_id, f.session_idx, f.segment_idx, f.media_idx, f.stream_idx, f.setup_failed, ${dims},
       CASE WHEN g.failure_stage IS NOT NULL THEN g.failure_reason ELSE s.failure_reason END AS reason,
       COALESCE(g.start_time, s.start_time) AS at
     FROM ${factsTable} f
     JOIN call_sessions s ON s.call_id = f.call_id AND s.session_idx = f.session_idx
     LEFT JOIN call_segments g ON g.call_id = f.call_id AND g.session_idx = f.session_idx AND g.segment_idx = f.segment_idx
     WHERE ${conds.join(' AND ')}`,
    params,
  );
  const lost = rows.filter((r) => !hasNetwork(r) && (r.user_id ?? '') !== '' && r.at !== null);
  const times = lost.map((r) => Number(r.at));
  const sessions = lost.length
    ? await successfulSessions(
        db,
        [...new Set(lost.map((r) => String(r.user_id)))],
        Math.min(...times) - inferenceWindowMs,
        Math.max(...times) + inferenceWindowMs,
      )
    : new Map<string, Row[]>();
  return rows.map((r) => {
    const stored: Record<string, string | number> = {};
    for (const c of ['day', 'hour', ...factDimColumns]) {
      const v = r[c];
      stored[c] = c === 'day' || c === 'hour' ? Number(v) : String(v ?? '');
    }
    const base: FailedStream = {
      callId: String(r.call_id),
      sessionIdx: Number(r.session_idx),
      segmentIdx: Number(r.segment_idx),
      mediaIdx: Number(r.media_idx),
      streamIdx: Number(r.stream_idx),
      stage: Number(r.setup_failed) === 1 ? 'callSetup' : 'midcall',
      reason: r.reason === null ? null : String(r.reason),
      reasonClass: classifyFailure(r.reason === null ? null : String(r.reason)),
      at: r.at === null ? null : Number(r.at),
      stored,
      placed: stored,
      attribution: hasNetwork(r) ? 'record' : 'unknown',
    };
    if (base.attribution === 'record' || base.at === null) return base;
    const at = base.at;
    // Nearest first; on a tie the earlier session, then an audio fact (a session's streams share its network).
    const rank = (s: Row) => [Math.abs(Number(s.at) - at), Number(s.at), s.media_type === 'audio' ? 0 : 1];
    let best: Row | undefined;
    for (const s of sessions.get(String(r.user_id)) ?? []) {
      if (s.call_id === r.call_id && Number(s.session_idx) === base.sessionIdx) continue;
      if (Math.abs(Number(s.at) - at) > inferenceWindowMs) continue;
      if (!best || compare(rank(s), rank(best)) < 0) best = s;
    }
    if (!best) return base;
    const placed = { ...stored };
    for (const c of networkColumns) placed[c] = String(best[c] ?? '');
    return {
      ...base,
      placed,
      attribution: 'inferred',
      inferredFrom: {
        callId: String(best.call_id),
        sessionIdx: Number(best.session_idx),
        minutesApart: Math.round(Math.abs(Number(best.at) - at) / 60_000),
      },
    };
  });
}
