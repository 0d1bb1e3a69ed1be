// Subscriptions and change notifications: handshake, limits, created/updated per new version, retries, lifecycle.
import { afterEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../clock/clock.ts';
import type { ChangeNotification, LifecycleNotification } from '../graph/odata.ts';
import { testTwin } from './test-client.ts';
import type { NotifyFn, Twin } from './twin.ts';

type Mode = 'ok' | 'fail' | 'hang' | 'badEcho';

/** A webhook receiver the twin calls in-process; `mode` scripts how it answers notifications. */
function receiver(clock: ManualClock) {
  const state = {
    mode: 'ok' as Mode,
    validations: [] as string[],
    notifications: [] as ChangeNotification[],
    lifecycle: [] as LifecycleNotification[],
    posts: 0,
  };
  const notify: NotifyFn = async (url, init) => {
    const token = new URL(url).searchParams.get('validationToken');
    if (token !== null) {
      state.validations.push(url);
      if (state.mode === 'hang') await clock.sleep(60_000);
      return {
        status: 200,
        text: async () => (state.mode === 'badEcho' ? encodeURIComponent(token) : token),
      };
    }
    state.posts++;
    if (state.mode === 'hang') {
      // Answers long after Graph gave up, and drops what it got.
      await clock.sleep(10_000);
      return { status: 202, text: async () => '' };
    }
    if (state.mode === 'fail') return { status: 503, text: async () => '' };
    const { value } = JSON.parse(init.body) as { value: Array<ChangeNotification | LifecycleNotification> };
    for (const v of value) {
      if ('lifecycleEvent' in v) state.lifecycle.push(v);
      else state.notifications.push(v);
    }
    return { status: 202, text: async () => '' };
  };
  return { state, notify };
}

const twins: Twin[] = [];
afterEach(() => {
  for (const t of twins.splice(0)) t.stop();
});

function setup() {
  const made = testTwin({ notify: (url, init) => rx.notify(url, init) });
  const rx = receiver(made.clock);
  twins.push(made.twin);
  return { ...made, rx };
}

async function tokenHeader(twin: Twin, tenantId = twin.homeTenantId): Promise<string> {
  const res = await twin.fetch(
    new Request(`https://x/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: twin.credentials.clientId,
        client_secret: twin.credentials.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    }),
  );
  return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
}

function send(twin: Twin, auth: string, method: string, path: string, body?: unknown): Promise<Response> {
  return twin.fetch(
    new Request(`https://graph.twin.test/v1.0${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

const inMinutes = (clock: ManualClock, minutes: number) =>
  new Date(clock.now() + minutes * 60_000).toISOString();
const request = (clock: ManualClock, extra: Record<string, unknown> = {}) => ({
  changeType: 'created,updated',
  notificationUrl: 'https://collector.example/api/notifications',
  lifecycleNotificationUrl: 'https://collector.example/api/lifecycle',
  resource: '/communications/callRecords',
  expirationDateTime: inMinutes(clock, 4000),
  clientState: 'secret-client-state',
  ...extra,
});

describe('creating subscriptions', () => {
  it('validates both URLs with the handshake and answers 201 with the subscription', async () => {
    const { twin, clock, rx } = setup();
    const auth = await tokenHeader(twin);
    const res = await send(twin, auth, 'POST', '/subscriptions', request(clock));
    expect(res.status).toBe(201);
    const sub = (await res.json()) as Record<string, unknown>;
    expect(sub.resource).toBe('/communications/callRecords');
    expect(sub.clientState).toBe('secret-client-state');
    expect(sub.applicationId).toBe(twin.credentials.clientId);
    expect(rx.state.validations.map((u) => new URL(u).pathname)).toEqual([
      '/api/notifications',
      '/api/lifecycle',
    ]);
    const listed = (await (await send(twin, auth, 'GET', '/subscriptions')).json()) as {
      value: Array<{ id: string }>;
    };
    expect(listed.value.map((s) => s.id)).toEqual([sub.id]);
  });

  it('refuses a receiver that echoes the token wrongly or not within 10 seconds', async () => {
    const { twin, clock, rx } = setup();
    const auth = await tokenHeader(twin);
    rx.state.mode = 'badEcho';
    const bad = await send(twin, auth, 'POST', '/subscriptions', request(clock));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('ValidationError');
    rx.state.mode = 'hang';
    const pending = send(twin, auth, 'POST', '/subscriptions', request(clock));
    await clock.advance(10_001);
    const slow = await pending;
    expect(slow.status).toBe(400);
    expect(((await slow.json()) as { error: { message: string } }).error.message).toMatch(/timed out/);
  });

  it('enforces the 4,230-minute maximum on create and on renewal, and deletes', async () => {
    const { twin, clock } = setup();
    const auth = await tokenHeader(twin);
    expect(
      (
        await send(
          twin,
          auth,
          'POST',
          '/subscriptions',
          request(clock, { expirationDateTime: inMinutes(clock, 4231) }),
        )
      ).status,
    ).toBe(400);
    const ok = await send(
      twin,
      auth,
      'POST',
      '/subscriptions',
      request(clock, { expirationDateTime: inMinutes(clock, 4230) }),
    );
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    expect(
      (
        await send(twin, auth, 'PATCH', `/subscriptions/${id}`, {
          expirationDateTime: inMinutes(clock, 5000),
        })
      ).status,
    ).toBe(400);
    const renewed = await send(twin, auth, 'PATCH', `/subscriptions/${id}`, {
      expirationDateTime: inMinutes(clock, 4200),
    });
    expect(renewed.status).toBe(200);
    expect(((await renewed.json()) as { expirationDateTime: string }).expirationDateTime).toBe(
      inMinutes(clock, 4200),
    );
    expect(
      (await send(twin, auth, 'POST', '/subscriptions', request(clock, { resource: '/users' }))).status,
    ).toBe(400);
    expect((await send(twin, auth, 'DELETE', `/subscriptions/${id}`)).status).toBe(204);
    expect((await send(twin, auth, 'GET', `/subscriptions/${id}`)).status).toBe(404);
  });
});

describe('notifications', () => {
  it('sends created then updated for every new version of the tenant view, echoing clientState', async () => {
    const { twin, clock, rx } = setup();
    const auth = await tokenHeader(twin);
    const before = await truth(twin, twin.homeTenantId);
    const res = await send(twin, auth, 'POST', '/subscriptions', request(clock));
    const { id } = (await res.json()) as { id: string };
    await clock.advance(6 * 3_600_000);
    const after = await truth(twin, twin.homeTenantId);
    const perRecord = new Map<string, string[]>();
    for (const n of rx.state.notifications) {
      expect(n.subscriptionId).toBe(id);
      expect(n.clientState).toBe('secret-client-state');
      expect(n.tenantId).toBe(twin.homeTenantId);
      expect(n.resource).toBe(`communications/callRecords/${n.resourceData?.id}`);
      expect(n.resourceData?.['@odata.type']).toBe('#Microsoft.Graph.callRecord');
      perRecord.set(n.resourceData!.id!, [...(perRecord.get(n.resourceData!.id!) ?? []), n.changeType]);
    }
    let changed = 0;
    for (const [recordId, version] of after) {
      const growth = version - (before.get(recordId) ?? 0);
      const got = perRecord.get(recordId) ?? [];
      expect(got.length).toBe(growth);
      if (growth > 0) {
        changed++;
        expect(got[0]).toBe('created');
        expect(got.slice(1).every((c) => c === 'updated')).toBe(true);
      }
    }
    expect(changed).toBeGreaterThan(20);
    expect([...perRecord.keys()].every((k) => after.has(k))).toBe(true);
  });

  it('retries when the receiver fails or does not answer within 3 seconds, then delivers', async () => {
    const { twin, clock, rx } = setup();
    const auth = await tokenHeader(twin);
    await send(twin, auth, 'POST', '/subscriptions', request(clock));
    rx.state.mode = 'fail';
    await clock.advance(40 * 60_000);
    const failedPosts = rx.state.posts;
    expect(failedPosts).toBeGreaterThan(0);
    expect(rx.state.notifications).toHaveLength(0);
    rx.state.mode = 'hang';
    await clock.advance(20 * 60_000);
    expect(rx.state.notifications).toHaveLength(0);
    rx.state.mode = 'ok';
    await clock.advance(60 * 60_000);
    expect(rx.state.notifications.length).toBeGreaterThan(0);
    const stats = (await (await twin.fetch(new Request('https://x/_twin/stats'))).json()) as {
      requests: Record<string, Record<string, number>>;
    };
    expect(stats.requests.notification['503']).toBeGreaterThan(0);
    expect(stats.requests.notification['0']).toBeGreaterThan(0);
    expect(stats.requests.notification['202']).toBeGreaterThan(0);
  });

  it('sends reauthorizationRequired before expiry and nothing after the subscription expired', async () => {
    const { twin, clock, rx } = setup();
    const auth = await tokenHeader(twin);
    await send(
      twin,
      auth,
      'POST',
      '/subscriptions',
      request(clock, { expirationDateTime: inMinutes(clock, 180) }),
    );
    await clock.advance(150 * 60_000);
    expect(rx.state.lifecycle.map((l) => l.lifecycleEvent)).toEqual(['reauthorizationRequired']);
    expect(rx.state.lifecycle[0].clientState).toBe('secret-client-state');
    await clock.advance(31 * 60_000);
    const count = rx.state.notifications.length;
    await clock.advance(3 * 3_600_000);
    expect(rx.state.notifications.length).toBe(count);
    const fresh = await tokenHeader(twin);
    expect(
      ((await (await send(twin, fresh, 'GET', '/subscriptions')).json()) as { value: unknown[] }).value,
    ).toHaveLength(0);
  });

  it("notifies an external tenant's subscription only about records in that tenant's view", async () => {
    const { twin, clock, rx } = setup();
    const external = twin.tenants.find((t) => !t.home)!;
    const auth = await tokenHeader(twin, external.id);
    await send(twin, auth, 'POST', '/subscriptions', request(clock));
    await clock.advance(8 * 3_600_000);
    const theirs = await truth(twin, external.id);
    expect(rx.state.notifications.length).toBeGreaterThan(0);
    for (const n of rx.state.notifications) {
      expect(n.tenantId).toBe(external.id);
      expect(theirs.has(n.resourceData!.id!)).toBe(true);
    }
  });
});

async function truth(twin: Twin, tenantId: string): Promise<Map<string, number>> {
  const body = (await (await twin.fetch(new Request('https://x/_twin/truth'))).json()) as {
    tenants: Record<string, Array<{ id: string; version: number }>>;
  };
  return new Map(body.tenants[tenantId].map((r) => [r.id, r.version]));
}
