// One user's profile in a window: who they are (name, UPN, tenant, guest or not), the calls they took part in and,
// of their own streams (the streams whose client end is that user), how many calls, minutes and poor streams.
import type { ReadDb } from '../store/db.ts';
import { queryQuality } from './query-quality.ts';

export interface UserProfile {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  tenantId: string | null;
  guest: boolean;
  /** Calls the user took part in (any participant role), in whole UTC days: the length of their call list. */
  callsTakenPart: number;
  /** Of those, the calls with streams whose client end is this user (the user list's "calls"). */
  calls: number;
  minutes: number;
  streams: number;
  classifiedStreams: number;
  poorStreams: number;
  poorPercent: number | null;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

/** The profile, or undefined when no stored call names this user at all. */
export async function getUser(
  db: ReadDb,
  id: string,
  o: { since?: number; until?: number; homeTenantId?: string | null } = {},
): Promise<UserProfile | undefined> {
  const who = await db.get<{
    n: number;
    name: string | null;
    upn: string | null;
    tenant: string | null;
    guest: number;
  }>(
    `SELECT COUNT(*) AS n, MAX(display_name) AS name, MAX(upn) AS upn, MAX(tenant_id) AS tenant,
            MAX(CASE WHEN kind = 'guest' THEN 1 ELSE 0 END) AS guest
     FROM call_participants WHERE identity_id = ?`,
    [id],
  );
  if (!who || num(who.n) === 0) return undefined;
  // The period as given (whole hours, period.ts): the rollups' hour buckets hold exactly these calls.
  const { since, until } = o;
  const params: (string | number)[] = [id];
  let window = '';
  if (since !== undefined) {
    window += ' AND c.start_time >= ?';
    params.push(since);
  }
  if (until !== undefined) {
    window += ' AND c.start_time < ?';
    params.push(until);
  }
  const taken = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM calls c WHERE c.id IN (SELECT p.call_id FROM call_participants p WHERE p.identity_id = ?)${window}`,
    params,
  );
  const [own] = await queryQuality(db, {
    by: ['user'],
    filters: { user: [id] },
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    measures: ['calls', 'minutes', 'streams', 'classifiedStreams', 'poorStreams', 'poorPercent'],
  });
  const tenantId = who.tenant ?? null;
  const home = o.homeTenantId ?? null;
  return {
    id,
    displayName: who.name,
    userPrincipalName: who.upn,
    tenantId,
    guest:
      num(who.guest) === 1 ||
      tenantId === null ||
      (home !== null && tenantId.toLowerCase() !== home.toLowerCase()),
    callsTakenPart: num(taken?.n),
    calls: num(own?.calls),
    minutes: num(own?.minutes),
    streams: num(own?.streams),
    classifiedStreams: num(own?.classifiedStreams),
    poorStreams: num(own?.poorStreams),
    poorPercent: typeof own?.poorPercent === 'number' ? own.poorPercent : null,
  };
}
