// Users with their calls, minutes and stream quality: names, UPNs and object ids are EUII (investigators only,
// every read audited).
import { type ListUsersQuery, listUsers, type UserList } from '../analytics/list-users.ts';
import { askedOf, audited } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

export async function userList(s: Service, who: Principal, q: ListUsersQuery): Promise<UserList> {
  requireIndividuals(who, 'users');
  const list = await listUsers(s.store.reads, q);
  await audited(
    s,
    who,
    'users.list',
    askedOf({
      since: q.since,
      until: q.until,
      q: q.text,
      orderBy: q.orderBy,
      limit: q.limit,
      offset: q.offset,
    }),
    list.users.length,
  );
  return list;
}
