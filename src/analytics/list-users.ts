// The user list: each user's calls, minutes and stream quality in a time window (from the rollups, by the
// `user` dimension), with names looked up only for the page shown.
import type { ReadDb, SqlValue } from '../store/db.ts';
import type { Measure, QualityQuery, QualityRow } from './quality-query.ts';
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
  /**
   * `home` (the tenant's own users), `guests` (every other tenant and anonymous guests), `anonymous` (guests
   * with no tenant), or a tenant id. Unset: everyone.
   */
  tenant?: string;
  /** Quality filters: a user's numbers count only their own streams that pass them (media type, building...). */
  filters?: QualityQuery['filters'];
  /** The tenant whose users are "home" (the configured tenant); without it a user is a guest only by its kind. */
  homeTenantId?: string | null;
}

export interface UserSummary {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  /** The tenant the user was seen in (null for an anonymous guest). */
  tenantId: string | null;
  /** Not one of the home tenant's users: another tenant's, or an anonymous guest. */
  guest: boolean;
  calls: number;
  minutes: number;
  streams: number;
  poorStreams: number;
  poorPercent: number | null;
}

/** One tenant of the listed users (guests grouped by their tenant), for the tenant filter. */
export interface UserTenant {
  /** null: anonymous guests, who carry no tenant. */
  tenantId: string | null;
  home: boolean;
  users: number;
}

export interface UserList {
  users: UserSummary[];
  /** Users matching the query in all. */
  total: number;
  /** The tenants of the users matching the search and period (before the tenant filter), home first. */
  tenants: UserTenant[];
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

interface Membership {
  tenantId: string | null;
  guest: boolean;
}

/** Each user's tenant and whether they are a guest, in chunks of index lookups by identity. */
async function memberships(
  db: ReadDb,
  ids: readonly string[],
  home: string | null,
): Promise<Map<string, Membership>> {
  const out = new Map<string, Membership>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.all<{ id: string; tenant_id: string | null; guest_kind: number | null }>(
      `SELECT identity_id AS id, MAX(tenant_id) AS tenant_id,
              MAX(CASE WHEN kind = 'guest' THEN 1 ELSE 0 END) AS guest_kind
       FROM call_participants WHERE identity_id IN (${chunk.map(() => '?').join(',')}) GROUP BY identity_id`,
      chunk as SqlValue[],
    );
    for (const r of rows) {
      const tenantId = r.tenant_id ?? null;
      const guest =
        Number(r.guest_kind ?? 0) === 1 ||
        tenantId === null ||
        (home !== null && tenantId.toLowerCase() !== home.toLowerCase());
      out.set(r.id, { tenantId, guest });
    }
  }
  return out;
}

function inTenant(m: Membership | undefined, tenant: string | undefined): boolean {
  if (tenant === undefined || tenant === '') return true;
  if (tenant === 'home') return !!m && !m.guest;
  if (tenant === 'guests') return !m || m.guest;
  if (tenant === 'anonymous') return !m || m.tenantId === null;
  return !!m && m.tenantId?.toLowerCase() === tenant.toLowerCase();
}

export async function listUsers(db: ReadDb, q: ListUsersQuery = {}): Promise<UserList> {
  const text = q.text?.trim();
  const ids = text ? await idsMatching(db, text) : undefined;
  if (ids && ids.length === 0) return { users: [], total: 0, tenants: [] };
  const base = {
    by: ['user' as const],
    filters: { ...(q.filters ?? {}), ...(ids ? { user: ids } : {}) },
    ...(q.since !== undefined ? { since: q.since } : {}),
    ...(q.until !== undefined ? { until: q.until } : {}),
  };
  const limit = Math.max(0, Math.floor(q.limit ?? 50));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  // One pass over the per-user rollup for both the page and the total: ordering in SQL with a LIMIT would
  // still aggregate every user, and a second query for the count would do it all again.
  const key = q.orderBy ?? 'calls';
  const found = (await queryQuality(db, { ...base, measures: userMeasures })).filter(
    (r) => typeof r.user === 'string' && r.user !== '',
  );
  const member = await memberships(
    db,
    found.map((r) => r.user as string),
    q.homeTenantId ?? null,
  );
  const groups = new Map<string, UserTenant>();
  for (const r of found) {
    const m = member.get(r.user as string);
    const k = m?.tenantId?.toLowerCase() ?? '';
    const g = groups.get(k) ?? { tenantId: m?.tenantId ?? null, home: m ? !m.guest : false, users: 0 };
    g.users++;
    groups.set(k, g);
  }
  const tenants = [...groups.values()].sort(
    (a, b) =>
      Number(b.home) - Number(a.home) ||
      b.users - a.users ||
      String(a.tenantId).localeCompare(String(b.tenantId)),
  );
  const all = found.filter((r) => inTenant(member.get(r.user as string), q.tenant));
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
    tenants,
    users: page.map((r) => {
      const id = r.user as string;
      return {
        id,
        displayName: names.get(id)?.displayName ?? null,
        userPrincipalName: names.get(id)?.upn ?? null,
        tenantId: member.get(id)?.tenantId ?? null,
        guest: member.get(id)?.guest ?? true,
        calls: num(r.calls),
        minutes: num(r.minutes),
        streams: num(r.streams),
        poorStreams: num(r.poorStreams),
        poorPercent: typeof r.poorPercent === 'number' ? r.poorPercent : null,
      };
    }),
  };
}
