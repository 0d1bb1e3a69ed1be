// The REST API in process (app.request, no port): auth and roles, calls and users, errors, CSV, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallDetail } from '../analytics/call-views.ts';
import type { CallPage, ErrorBody, Me, UserPage } from './api-types.ts';
import { checkBindAllowed } from './auth.ts';
import { filledTestStore, type TestStore, testApp } from './test-app.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const tokens = {
  api: {
    tokens: [
      { token: investigator, role: 'investigator' as const },
      { token: viewer, role: 'viewer' as const },
    ],
  },
};
const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

let t: TestStore;
beforeAll(async () => {
  t = await filledTestStore({ calls: 80 });
});
afterAll(async () => {
  await t.dispose();
});

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await res).json() as Promise<T>;
}

describe('authorization', () => {
  it('treats the caller as the local investigator when no token is configured', async () => {
    const { app } = testApp(t.store);
    const me = await json<Me>(app.request('/api/v1/me'));
    expect(me).toMatchObject({ role: 'investigator', via: 'local', tokensRequired: false });
    expect(me.can.individuals).toBe(true);
  });

  it('requires a valid bearer token once tokens are configured, except for health', async () => {
    const { app } = testApp(t.store, { config: tokens });
    expect((await app.request('/api/v1/health')).status).toBe(200);
    const missing = await app.request('/api/v1/me');
    expect(missing.status).toBe(401);
    expect((await json<ErrorBody>(missing)).error.hint).toMatch(/Authorization: Bearer/);
    expect((await app.request('/api/v1/me', bearer('not-a-known-token-at-all'))).status).toBe(401);
    expect(await json<Me>(app.request('/api/v1/me', bearer(viewer)))).toMatchObject({
      role: 'viewer',
      via: 'token',
    });
  });

  it('gives a viewer 403 on individual calls, users and per-user rows, but aggregates', async () => {
    const { app } = testApp(t.store, { config: tokens });
    const id = String(t.records[0].id);
    for (const path of [
      '/api/v1/calls',
      `/api/v1/calls/${id}`,
      '/api/v1/users',
      `/api/v1/users/x/calls`,
      '/api/v1/quality?by=user',
    ]) {
      const res = await app.request(path, bearer(viewer));
      expect(res.status, path).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('forbidden');
    }
    expect((await app.request('/api/v1/quality?by=building', bearer(viewer))).status).toBe(200);
    expect((await app.request(`/api/v1/calls/${id}`, bearer(investigator))).status).toBe(200);
  });

  it('refuses a non-loopback bind address without a token', () => {
    expect(() => checkBindAllowed('0.0.0.0', { tokens: [] })).toThrow(/CALLTROVE_API_TOKEN/);
    expect(() => checkBindAllowed('127.0.0.1', { tokens: [] })).not.toThrow();
    expect(() => checkBindAllowed('::1', { tokens: [] })).not.toThrow();
    expect(() => checkBindAllowed('0.0.0.0', tokens.api as never)).not.toThrow();
  });
});

describe('calls', () => {
  it('lists every ingested call, newest first, and pages by offset and by cursor alike', async () => {
    const { app } = testApp(t.store);
    const all = await json<CallPage>(app.request('/api/v1/calls?limit=1000'));
    expect(all.total).toBe(t.records.length);
    const starts = all.calls.map((c) => Date.parse(c.startDateTime ?? ''));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    const first = await json<CallPage>(app.request('/api/v1/calls?limit=30'));
    const byCursor = await json<CallPage>(app.request(`/api/v1/calls?limit=30&cursor=${first.nextCursor}`));
    const byOffset = await json<CallPage>(app.request('/api/v1/calls?limit=30&offset=30'));
    expect(byCursor.calls.map((c) => c.id)).toEqual(byOffset.calls.map((c) => c.id));
    expect(byCursor.calls.map((c) => c.id)).toEqual(all.calls.slice(30, 60).map((c) => c.id));
  });

  it('filters by poor only, media type, user and search text', async () => {
    const { app } = testApp(t.store);
    const all = (await json<CallPage>(app.request('/api/v1/calls?limit=1000'))).calls;
    const poor = await json<CallPage>(app.request('/api/v1/calls?poor=true&limit=1000'));
    expect(poor.total).toBe(all.filter((c) => c.poorStreamCount > 0).length);
    expect(poor.total).toBeGreaterThan(0);
    expect(poor.total).toBeLessThan(all.length);
    const video = await json<CallPage>(app.request('/api/v1/calls?mediaType=video&limit=1000'));
    expect(video.total).toBe(
      t.records.filter((r) => JSON.stringify(r.sessions).includes('"main-video"')).length,
    );
    const organizer = all[0].organizerId as string;
    const mine = await json<CallPage>(app.request(`/api/v1/users/${organizer}/calls?limit=1000`));
    const withUser = t.records.filter((r) => JSON.stringify(r.participants_v2).includes(organizer));
    expect(mine.total).toBe(withUser.length);
    const name = all[0].organizerName as string;
    const found = await json<CallPage>(
      app.request(`/api/v1/calls?q=${encodeURIComponent(name.toUpperCase())}&limit=1000`),
    );
    expect(found.total).toBe(
      t.records.filter((r) => JSON.stringify(r.participants_v2).includes(`"${name}"`)).length,
    );
    const since = await json<CallPage>(
      app.request(`/api/v1/calls?since=${encodeURIComponent(all[9].startDateTime ?? '')}`),
    );
    // A period is whole hours (period.ts): since widens to the hour holding the tenth call's start.
    const hour = Math.floor(Date.parse(all[9].startDateTime ?? '') / 3_600_000) * 3_600_000;
    expect(since.total).toBe(all.filter((c) => Date.parse(c.startDateTime ?? '') >= hour).length);
    expect(since.total).toBeGreaterThanOrEqual(10);
  });

  it('returns a call nested as Graph nests it, each stream classified, and audits the read', async () => {
    const { app, audits } = testApp(t.store);
    const id = String(t.records[0].id);
    const call = await json<CallDetail>(app.request(`/api/v1/calls/${id}`));
    expect(call.id).toBe(id);
    expect(call.view).toBe('organizer');
    const segments = call.sessions[0].segments as Record<string, unknown>[];
    const media = segments[0].media as { streams: { quality: string; poorReasons: string[] }[] }[];
    expect(media[0].streams.length).toBeGreaterThan(0);
    for (const s of media[0].streams) expect(['good', 'poor', 'unclassified']).toContain(s.quality);
    expect(audits).toEqual([
      expect.objectContaining({ action: 'call.read', resource: id, role: 'investigator' }),
    ]);
    const missing = await app.request('/api/v1/calls/no-such-call');
    expect(missing.status).toBe(404);
  });

  it('downloads the call list as CSV with one line per call', async () => {
    const { app } = testApp(t.store);
    const res = await app.request('/api/v1/calls?limit=25&format=csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="calls.csv"/);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^id,startDateTime,/);
    expect(lines).toHaveLength(26);
  });
});

describe('users', () => {
  it('lists users by calls with names, pages, searches and audits', async () => {
    const { app, audits } = testApp(t.store);
    const all = await json<UserPage>(app.request('/api/v1/users?limit=1000'));
    expect(all.total).toBe(all.users.length);
    expect(all.total).toBeGreaterThan(10);
    const calls = all.users.map((u) => u.calls);
    expect([...calls].sort((a, b) => b - a)).toEqual(calls);
    expect(all.users.every((u) => u.displayName?.startsWith('Test User'))).toBe(true);
    const second = await json<UserPage>(app.request('/api/v1/users?limit=5&offset=5'));
    expect(second.users.map((u) => u.id)).toEqual(all.users.slice(5, 10).map((u) => u.id));
    const one = all.users[3];
    const found = await json<UserPage>(
      app.request(`/api/v1/users?q=${encodeURIComponent(String(one.displayName))}`),
    );
    expect(found.users.map((u) => u.id)).toEqual([one.id]);
    const poor = await json<UserPage>(app.request('/api/v1/users?orderBy=poorPercent&limit=1000'));
    const rates = poor.users.map((u) => u.poorPercent ?? -1);
    expect([...rates].sort((a, b) => b - a)).toEqual(rates);
    expect(audits.map((a) => a.action)).toEqual(['users.list', 'users.list', 'users.list', 'users.list']);
  });
});

describe('input errors', () => {
  it('answers 400 with the valid choices for an unknown dimension, parameter or a bad date', async () => {
    const { app } = testApp(t.store);
    const dim = await app.request('/api/v1/quality?by=buildng');
    expect(dim.status).toBe(400);
    const dimBody = await json<ErrorBody>(dim);
    expect(dimBody.error.message).toMatch(/unknown dimension "buildng"/);
    expect(dimBody.error.hint).toMatch(/building, city/);
    const date = await json<ErrorBody>(app.request('/api/v1/quality?by=day&since=yesterday'));
    expect(date.error).toMatchObject({ code: 'bad_request', message: 'bad since "yesterday"' });
    const param = await app.request('/api/v1/quality?by=day&biulding=HQ');
    expect(param.status).toBe(400);
    expect((await json<ErrorBody>(param)).error.hint).toMatch(/network-type/);
    const limit = await app.request('/api/v1/calls?limit=0');
    expect(limit.status).toBe(400);
    const media = await json<ErrorBody>(app.request('/api/v1/calls?mediaType=fax'));
    expect(media.error.message).toMatch(/mediaType/);
    expect((await app.request('/api/v1/nope')).status).toBe(404);
  });
});

describe('host names', () => {
  const at = (host: string, init: RequestInit = {}) => ({
    ...init,
    headers: { host, ...(init.headers as Record<string, string>) },
  });

  it('answers 421 with no data to a foreign Host, on every kind of route', async () => {
    const { app } = testApp(t.store);
    const id = String(t.records[0].id);
    for (const path of ['/api/v1/calls', `/api/v1/calls/${id}`, '/api/v1/me', '/api/v1/health', '/']) {
      const res = await app.request(path, at('attacker.example'));
      expect(res.status, path).toBe(421);
      expect(await res.text(), path).not.toContain(id);
    }
    expect((await app.request('/api/v1/calls', at('127.0.0.1:3000'))).status).toBe(200);
    expect((await app.request('/api/v1/calls', at('[::1]:3000'))).status).toBe(200);
  });

  it('answers the names of api.allowedHosts and of the notification URL', async () => {
    const { app } = testApp(t.store, {
      config: {
        api: { allowedHosts: ['calltrove.corp.example'] },
        notificationUrl: 'https://hooks.corp.example/notify',
      },
    });
    expect((await app.request('/api/v1/calls', at('calltrove.corp.example:3000'))).status).toBe(200);
    expect((await app.request('/api/v1/calls', at('hooks.corp.example'))).status).toBe(200);
    expect((await app.request('/api/v1/calls', at('corp.example'))).status).toBe(421);
  });

  it('refuses a state-changing request from a foreign page (Origin), even with a token', async () => {
    const { app } = testApp(t.store, { config: tokens });
    const post = (origin: string) =>
      app.request(
        '/api/v1/calls',
        at('127.0.0.1:3000', {
          method: 'POST',
          headers: { origin, authorization: `Bearer ${investigator}` },
        }),
      );
    expect((await post('http://attacker.example')).status).toBe(403);
    // From the server's own page it reaches the routes (and no route takes a POST there).
    expect((await post('http://127.0.0.1:3000')).status).toBe(404);
  });
});
