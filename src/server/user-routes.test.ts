// Users through the API: a user's profile and call list agree (calls taken part in = the list's total, own
// streams per call add up to the user's own streams), guests grouped by tenant with a tenant filter, 404 for an
// unknown user.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wifiCallRecord } from '../analytics/test-wifi-call.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import type { CallPage, ErrorBody, UserPage, UserProfileAnswer } from './api-types.ts';
import { filledTestStore, type TestStore, testApp } from './test-app.ts';
import { testTenantId } from './test-records.ts';

let t: TestStore;
const otherTenant = '0f0f0f0f-1111-4222-8333-444444444444';

async function json<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  expect(r.status).toBe(status);
  return (await r.json()) as T;
}

beforeAll(async () => {
  t = await filledTestStore({ calls: 80 });
  // Bob joins from another organization; in a second call an anonymous guest (no tenant) takes his place.
  const guest = JSON.parse(
    JSON.stringify(wifiCallRecord()).replaceAll(
      `"u-bob","displayName":"Bob Home","tenantId":"${testTenantId}"`,
      `"u-bob","displayName":"Bob Home","tenantId":"${otherTenant}"`,
    ),
  );
  await ingestRecord(t.store, guest, { source: 'guest', tenantId: testTenantId, receivedAt: 0 });
  const anonymous = JSON.parse(
    JSON.stringify(wifiCallRecord())
      .replaceAll('c0ffee00-wifi', 'c0ffee01-anon')
      .replaceAll(
        `"u-bob","displayName":"Bob Home","tenantId":"${testTenantId}"`,
        '"anon-guest","displayName":"Kim (Guest)","tenantId":null',
      ),
  ) as { participants_v2: Record<string, unknown>[] };
  anonymous.participants_v2[1] = {
    id: 'anon-guest',
    identity: { guest: { id: 'anon-guest', displayName: 'Kim (Guest)', tenantId: null } },
  };
  await ingestRecord(t.store, anonymous, { source: 'anon', tenantId: testTenantId, receivedAt: 0 });
});
afterAll(() => t?.dispose());

const app = () => testApp(t.store, { config: { tenantId: testTenantId } }).app;

it("a user's profile and call list agree: calls taken part in is the list's total, own streams add up", async () => {
  const users = await json<UserPage>(app().request('/api/v1/users?limit=1000'));
  const u = users.users.find((x) => !x.guest && x.calls > 1) as UserPage['users'][number];
  const profile = await json<UserProfileAnswer>(app().request(`/api/v1/users/${u.id}`));
  const list = await json<CallPage>(app().request(`/api/v1/users/${u.id}/calls?limit=1000`));
  expect(list.total).toBe(profile.callsTakenPart);
  expect(list.calls.filter((c) => (c.ownStreamCount ?? 0) > 0)).toHaveLength(profile.calls);
  expect(list.calls.reduce((n, c) => n + (c.ownStreamCount ?? 0), 0)).toBe(profile.streams);
  expect(list.calls.reduce((n, c) => n + (c.ownPoorStreamCount ?? 0), 0)).toBe(profile.poorStreams);
  expect(profile).toMatchObject({
    calls: u.calls,
    streams: u.streams,
    poorStreams: u.poorStreams,
    guest: false,
  });
  // The call's own counts are the user's, not the whole call's.
  expect(list.calls.some((c) => (c.ownStreamCount ?? 0) < c.streamCount)).toBe(true);
  const poor = await json<CallPage>(app().request(`/api/v1/users/${u.id}/calls?limit=1000&poor=true`));
  expect(poor.calls.map((c) => c.id)).toEqual(
    list.calls.filter((c) => (c.ownPoorStreamCount ?? 0) > 0).map((c) => c.id),
  );
});

it('groups guests by their tenant and filters by tenant', async () => {
  const all = await json<UserPage>(app().request('/api/v1/users?limit=1000'));
  const home = all.tenants.find((x) => x.home);
  expect(home).toMatchObject({ tenantId: testTenantId });
  expect(all.tenants).toContainEqual({ tenantId: otherTenant, home: false, users: 1 });
  expect(all.tenants).toContainEqual({ tenantId: null, home: false, users: 1 });
  const guests = await json<UserPage>(app().request('/api/v1/users?limit=1000&tenant=guests'));
  expect(guests.users.map((u) => u.displayName).sort()).toEqual(['Bob Home', 'Kim (Guest)']);
  const other = await json<UserPage>(app().request(`/api/v1/users?limit=1000&tenant=${otherTenant}`));
  expect(other.users.map((u) => [u.displayName, u.tenantId, u.guest])).toEqual([
    ['Bob Home', otherTenant, true],
  ]);
  const anonymous = await json<UserPage>(app().request('/api/v1/users?limit=1000&tenant=anonymous'));
  expect(anonymous.users.map((u) => u.displayName)).toEqual(['Kim (Guest)']);
  const mine = await json<UserPage>(app().request('/api/v1/users?limit=1000&tenant=home'));
  expect(mine.total).toBe(home?.users ?? 0);
  expect(mine.total + guests.total).toBe(all.total);
});

it('answers 404 for a user no stored call names', async () => {
  const body = await json<ErrorBody>(app().request('/api/v1/users/no-such-user'), 404);
  expect(body.error.message).toMatch(/no user with id no-such-user/);
});
