// The user list: each user's calls, minutes and stream quality in a time window (from the rollups, by the
// `user` dimension), with names looked up only for the page shown.
import type { ReadDb, SqlValue } from '../store/db.ts';
import type { Measure, QualityRow } from './quality-query.ts';
import { queryQuality } from './query-quality.ts';

export interface ListUsersQuery {
  since?: number;
  until?: number;
  /** Case-insensitive substring of a user's name or UPN, or an exact object id. */
  text?: string;
  /** `calls` (default), `poorPercent`, `poorStreams` or `minutes`, descending. */
  orderBy?: 'calls' | 'poorPercent' | 'poorStreams' | 'minutes';
  limit?: number;
  offset?: number;
}

export interface UserSummary {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  calls: number;
  minutes: number;
  streams: number;
  poorStreams: number;
  poorPercent: number | null;
}

export interface UserList {
  users: UserSummary[];
  /** Users matching the query in all. */
  total: number;
}

const userMeasures: Measure[] = [
  'calls',
  'minutes',
  'streams',
  'classifiedStreams',
  'poorStreams',
  'poorPercent',
];
/** More name matches than this make the search too broad to be useful; the first ones are kept. */
const maxSearchMatches = 2000;

async function idsMatching(db: ReadDb, text: string): Promise<string[]> {
  const p = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // Case-insensitive without LOWER() on every row: SQLite's LIKE already ignores ASCII case; PostgreSQL has ILIKE.
  const like = db.capabilities.ilike ? 'ILIKE' : 'LIKE';
  const rows = await db.all<{ id: string }>(
    `SELECT DISTINCT identity_id AS id FROM call_participants
     WHERE identity_id = ? OR display_name ${like} ? ESCAPE '\\' OR upn ${like} ? ESCAPE '\\'
     LIMIT ?`,
    [text, p, p, maxSearchMatches],
  );
  return rows.map((r) => r.id).filter(Boolean);
}

/** A name and UPN each of these users was seen with (one index lookup per user; no join to the calls). */
export async function userNames(
  db: ReadDb,
  ids: readonly string[],
): Promise<Map<string, { displayName: string | null; upn: string | null }>> {
  const out = new Map<string, { displayName: string | null; upn: string | null }>();
  if (ids.length === 0) return out;
  const rows = await db.all<{ id: string; display_name: string | null; upn: string | null }>(
    `SELECT identity_id AS id, MAX(display_name) AS display_name, MAX(upn) AS upn FROM call_participants
     WHERE identity_id IN (${ids.map(() => '?').join(',')}) GROUP BY identity_id`,
    ids as SqlValue[],
  );
  for (const r of rows) out.set(r.id, { displayName: r.display_name, upn: r.upn });
  return out;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export async function listUsers(db: ReadDb, q: ListUsersQuery = {}): Promise<UserList> {
  const text = q.text?.trim();
  const ids = text ? await idsMatching(db, text) : undefined;
  if (ids && ids.length === 0) return { users: [], total: 0 };
  const base = {
    by: ['user' as const],
    filters: ids ? { user: ids } : {},
    ...(q.since !== undefined ? { since: q.since } : {}),
    ...(q.until !== undefined ? { until: q.until } : {}),
  };
  const limit = Math.max(0, Math.floor(q.limit ?? 50));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  // One pass over the per-user rollup for both the page and the total: ordering in SQL with a LIMIT would
  // still aggregate every user, and a second query for the count would do it all again.
  const key = q.orderBy ?? 'calls';
  const all = (await queryQuality(db, { ...base, measures: userMeasures })).filter(
    (r) => typeof r.user === 'string' && r.user !== '',
  );
  const value = (r: QualityRow) =>
    typeof r[key] === 'number' ? (r[key] as number) : Number.NEGATIVE_INFINITY;
  all.sort((a, b) => value(b) - value(a) || String(a.user).localeCompare(String(b.user)));
  const page = all.slice(offset, offset + limit);
  const names = await userNames(
    db,
    page.map((r) => r.user as string),
  );
  return {
    total: all.length,
    users: page.map((r) => {
      const id = r.user as string;
      return {
        id,
        displayName: names.get(id)?.displayName ?? null,
        userPrincipalName: names.get(id)?.upn ?? null,
        calls: num(r.calls),
        minutes: num(r.minutes),
        streams: num(r.streams),
        poorStreams: num(r.poorStreams),
        poorPercent: typeof r.poorPercent === 'number' ? r.poorPercent : null,
      };
    }),
  };
}
