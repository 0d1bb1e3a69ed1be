// Users with their calls, minutes and stream quality: names, UPNs and object ids are EUII (investigators only,
// every read audited).
import { getUser, type UserProfile } from '../analytics/get-user.ts';
import { type ListUsersQuery, listUsers, type UserList } from '../analytics/list-users.ts';
import { CalltroveError } from '../errors.ts';
import { askedOf, audited } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

export async function userList(s: Service, who: Principal, q: ListUsersQuery): Promise<UserList> {
  requireIndividuals(who, 'users');
  const list = await listUsers(s.store.reads, { ...q, homeTenantId: s.config.tenantId ?? null });
  await audited(
    s,
    who,
    'users.list',
    askedOf({
      since: q.since,
      until: q.until,
      q: q.text,
      orderBy: q.orderBy,
      tenant: q.tenant,
      limit: q.limit,
      offset: q.offset,
    }),
    list.users.length,
  );
  return list;
}

/** One user's profile in a window; not_found when no stored call names the user. */
export async function userProfile(
  s: Service,
  who: Principal,
  id: string,
  window: { since?: number; until?: number },
): Promise<UserProfile> {
  requireIndividuals(who, 'a user');
  const profile = await getUser(s.store.reads, id, { ...window, homeTenantId: s.config.tenantId ?? null });
  if (!profile)
    throw new CalltroveError('not_found', `no user with id ${id} appears in the stored calls`, {
      hint: 'find users by name or UPN on the Users page (GET /api/v1/users?q=...)',
    });
  await audited(s, who, 'user.read', id);
  return profile;
}
