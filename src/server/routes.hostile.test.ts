// Hostile requests against every API route the OpenAPI document lists (so a new route is covered the day it is
// added): with no token, with a viewer token, with a foreign Host, and state changes from a foreign Origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filledTestStore, type TestStore, testApp } from './test-app.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const config = {
  api: {
    tokens: [
      { token: investigator, role: 'investigator' as const },
      { token: viewer, role: 'viewer' as const },
    ],
  },
};
const publicRoutes = new Set(['/api/v1/health', '/api/v1/openapi.json']);

interface Route {
  method: string;
  path: string;
}

let t: TestStore;
let routes: Route[];
/** Every name, UPN, identity id and address in the stored records: what a viewer or a stranger must never see. */
let personal: string[];

function personalValues(json: unknown, out: Set<string>): void {
  if (Array.isArray(json)) for (const v of json) personalValues(v, out);
  else if (json && typeof json === 'object')
    for (const [k, v] of Object.entries(json)) {
      if (
        typeof v === 'string' &&
        v.length > 3 &&
        /^(displayName|userPrincipalName|ipAddress|macAddress|reflexiveIPAddress)$/.test(k)
      )
        out.add(v);
      else if (
        typeof v === 'string' &&
        k === 'id' &&
        /user|identity/i.test(JSON.stringify(Object.keys(json)))
      )
        out.add(v);
      else personalValues(v, out);
    }
}

const auth = (token?: string, extra: Record<string, string> = {}) => ({
  headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
});

beforeAll(async () => {
  t = await filledTestStore({ calls: 30 });
  const { app } = testApp(t.store, { config });
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const callId = String(t.records[0].id);
  const userId = String(
    (t.records[0].participants_v2 as Array<{ identity: { user?: { id: string } } }>)[0].identity.user?.id ??
      'x',
  );
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      path: path
        .replace('/calls/{id}', `/calls/${encodeURIComponent(callId)}`)
        .replace('/users/{id}', `/users/${encodeURIComponent(userId)}`)
        .replace('{id}', '1'),
    })),
  );
  const found = new Set<string>();
  personalValues(t.records, found);
  personal = [...found];
});
afterAll(async () => {
  await t.dispose();
});

async function send(route: Route, init: { headers: Record<string, string> }, query = ''): Promise<Response> {
  const { app } = testApp(t.store, { config });
  const body =
    route.method === 'POST' ? JSON.stringify({ rule: 'x', minutes: 60, reason: 'test' }) : undefined;
  return app.request(`${route.path}${query}`, {
    method: route.method,
    headers: { ...init.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
}

function expectNothingPersonal(text: string, what: string): void {
  for (const v of personal) expect(text.includes(v), `${what} shows ${v}`).toBe(false);
}

describe('every API route, hostile callers', () => {
  it('covers the whole API (the OpenAPI document lists every served route)', () => {
    expect(personal.length).toBeGreaterThan(20);
    expect(routes.length).toBeGreaterThanOrEqual(24);
    for (const p of ['/api/v1/calls', '/api/v1/users', '/api/v1/quality', '/api/v1/alerts'])
      expect(
        routes.some((r) => r.path === p),
        p,
      ).toBe(true);
  });

  it('answers 401 with nothing personal to a request without a token (health and the document aside)', async () => {
    for (const route of routes) {
      const res = await send(route, auth());
      const what = `${route.method} ${route.path}`;
      if (publicRoutes.has(route.path)) expect(res.status, what).toBe(200);
      else expect(res.status, what).toBe(401);
      expectNothingPersonal(await res.text(), what);
    }
  });

  it('answers 421 to a foreign Host, even with an investigator token, and shows nothing', async () => {
    for (const route of [...routes, { method: 'GET', path: '/' }])
      for (const host of ['attacker.example', 'attacker.example:3000', '127.0.0.1.attacker.example']) {
        const res = await send(route, auth(investigator, { host }));
        const what = `${route.method} ${route.path} (${host})`;
        expect(res.status, what).toBe(421);
        expectNothingPersonal(await res.text(), what);
      }
  });

  it('gives a viewer aggregates only: no route, JSON or CSV, shows a person, and no change is allowed', async () => {
    let allowed = 0;
    for (const route of routes)
      for (const query of route.method === 'GET' ? ['', '?format=csv', '?by=user', '?user=x'] : ['']) {
        const res = await send(route, auth(viewer), query);
        const what = `${route.method} ${route.path}${query}`;
        expect([200, 400, 403, 404], what).toContain(res.status);
        if (res.status === 200) allowed++;
        if (route.method !== 'GET') expect([400, 403], what).toContain(res.status);
        expectNothingPersonal(await res.text(), what);
      }
    expect(allowed).toBeGreaterThan(10);
    // The same routes do show people to an investigator (the oracle finds what it looks for).
    const res = await send({ method: 'GET', path: '/api/v1/calls' }, auth(investigator), '?limit=500');
    const text = await res.text();
    expect(personal.some((v) => text.includes(v))).toBe(true);
  });

  it('refuses a state change from a foreign Origin, even with an investigator token', async () => {
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const res = await send(route, auth(investigator, { origin: 'http://attacker.example' }));
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
    }
  });
});
