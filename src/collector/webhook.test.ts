// The webhook: handshake, clientState in constant time, malformed and huge bodies, persist-then-202; on both databases.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { silentLogger } from '../config/logger.ts';
import { readInbox } from '../store/notification-inbox.ts';
import type { Store } from '../store/store.ts';
import { testDatabases, useTestStore } from '../store/test-stores.ts';
import { createCollectorMetrics } from './metrics.ts';
import { postNotification, subscribedWebhook } from './test-webhook.ts';
import { createWebhookApp, sameSecret, webhookLimits } from './webhook.ts';

const sample = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const secret = 'a-client-state-of-some-length';
const tenant = '84bd8158-6d4d-4958-8b9f-9d6445542f95';

/** Every row of every table, as text: "the store is untouched" means this does not change. */
async function snapshot(store: Store): Promise<string> {
  const tables =
    store.db.capabilities.dialect === 'sqlite'
      ? await store.db.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )
      : await store.db.all<{ name: string }>(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name',
        );
  const parts: string[] = [];
  for (const { name } of tables)
    parts.push(name, JSON.stringify(await store.db.all(`SELECT * FROM ${name}`)));
  return parts.join('\n');
}

function notification(id: string, clientState = secret) {
  const n = JSON.parse(sample('v1.0_changeNotification_callRecord.json')) as {
    value: Record<string, unknown>[];
  };
  const item = n.value[0];
  item.clientState = clientState;
  item.resource = `communications/callRecords/${id}`;
  item.resourceData = {
    ...(item.resourceData as object),
    id,
    '@odata.id': `communications/callRecords/${id}`,
  };
  item.tenantId = tenant;
  return item;
}

for (const database of await testDatabases()) {
  describe(`webhook on ${database.name}`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });
    const clock = new ManualClock();
    let accepted = 0;
    let app: ReturnType<typeof createWebhookApp>['app'];
    const metrics = createCollectorMetrics();
    const rejectedBy = async (reason: string) =>
      (await metrics.rejected.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
    const post = (body: string, query = '') => postNotification(app, `/notify${query}`, body);

    beforeAll(async () => {
      app = await subscribedWebhook(store, {
        clock,
        secret,
        tenantId: tenant,
        notificationUrl: 'https://x/n',
        metrics,
        onAccepted: () => accepted++,
        notificationPaths: ['/notify'],
      });
    });
    beforeEach(async () => {
      await store.db.run('DELETE FROM collector_inbox');
    });

    it('answers the validation handshake with the decoded token as text/plain', async () => {
      const token = 'Validation: Testing client application reachability for subscription Request-Id: 1 +&=';
      const before = await snapshot(store);
      const res = await post('', `?validationToken=${encodeURIComponent(token)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(token);
      expect(await snapshot(store)).toBe(before);
    });

    it('persists matching notifications before answering 202, without their clientState', async () => {
      const before = accepted;
      const res = await post(JSON.stringify({ value: [notification('r1'), notification('r2')] }));
      expect(res.status).toBe(202);
      expect(accepted).toBe(before + 1);
      const rows = await store.db.transaction((tx) => readInbox(tx, 10));
      expect(rows.map((r) => r.recordId)).toEqual(['r1', 'r2']);
      expect(rows[0].body).not.toContain(secret);
    });

    it('accepts the older lower-case @odata.type and lifecycle notifications', async () => {
      const older = JSON.parse(sample('v1.0_changeNotification_callRecord_older_lowercase_type.json')) as {
        value: Record<string, unknown>[];
      };
      older.value[0].clientState = secret;
      older.value[0].tenantId = tenant;
      const life = JSON.parse(sample('v1.0_lifecycleNotification_reauthorizationRequired.json')) as {
        value: Record<string, unknown>[];
      };
      life.value[0].clientState = secret;
      expect((await post(JSON.stringify({ value: [...older.value, ...life.value] }))).status).toBe(202);
      const rows = await store.db.transaction((tx) => readInbox(tx, 10));
      expect(rows.map((r) => r.kind)).toEqual(['change', 'lifecycle']);
      expect(rows[1].lifecycleEvent).toBe('reauthorizationRequired');
    });

    it('refuses a wrong clientState and stores nothing', async () => {
      const before = await snapshot(store);
      const res = await post(JSON.stringify({ value: [notification('r3', 'not-the-secret')] }));
      expect(res.status).toBe(403);
      const missing = await post(
        JSON.stringify({ value: [{ ...notification('r4'), clientState: undefined }] }),
      );
      expect(missing.status).toBe(403);
      expect(await snapshot(store)).toBe(before);
    });

    it('refuses a notification for another tenant, told apart from a wrong clientState', async () => {
      const before = await snapshot(store);
      const [states, tenants] = [await rejectedBy('client_state'), await rejectedBy('tenant')];
      const res = await post(
        JSON.stringify({ value: [{ ...notification('r5'), tenantId: 'someone-else' }] }),
      );
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/another tenant/);
      expect([await rejectedBy('client_state'), await rejectedBy('tenant')]).toEqual([states, tenants + 1]);
      const wrong = await post(JSON.stringify({ value: [notification('r5', 'not-the-secret')] }));
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).toMatch(/clientState does not match/);
      expect([await rejectedBy('client_state'), await rejectedBy('tenant')]).toEqual([
        states + 1,
        tenants + 1,
      ]);
      expect(await snapshot(store)).toBe(before);
    });

    it('answers validation only for a POST to the notification path, nothing sniffable', async () => {
      const before = await snapshot(store);
      const token = '<script>alert(1)</script>';
      const query = `?validationToken=${encodeURIComponent(token)}`;
      const elsewhere = await app.fetch(new Request(`http://127.0.0.1/other${query}`, { method: 'POST' }));
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.text()).not.toContain(token);
      const root = await app.fetch(new Request(`http://127.0.0.1/${query}`, { method: 'POST' }));
      expect(root.status).toBe(404);
      for (const path of ['/notify', '/other']) {
        const get = await app.fetch(new Request(`http://127.0.0.1${path}${query}`));
        expect(await get.text()).not.toContain(token);
        expect(get.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const ok = await post('', query);
      expect(await ok.text()).toBe(token);
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      // Notifications themselves are taken on the notification path only.
      const misplaced = await app.fetch(
        new Request('http://127.0.0.1/elsewhere', {
          method: 'POST',
          body: JSON.stringify({ value: [notification('p1')] }),
        }),
      );
      expect(misplaced.status).toBe(404);
      for (const path of ['/metrics', '/api/v1/health']) {
        const res = await app.fetch(new Request(`http://127.0.0.1${path}`));
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      }
      expect(await snapshot(store)).toBe(before);
    });

    it('refuses more notifications in one request than the limit, keeping none of them', async () => {
      const before = await snapshot(store);
      const many = Array.from({ length: webhookLimits.maxNotifications + 1 }, (_, i) =>
        notification(`m${i}`),
      );
      const body = JSON.stringify({ value: many });
      expect(Buffer.byteLength(body)).toBeLessThan(webhookLimits.maxBodyBytes);
      const res = await post(body);
      expect(res.status).toBe(413);
      expect(await res.text()).toMatch(/more than 1000 notifications/);
      expect(await rejectedBy('too_many')).toBeGreaterThan(0);
      expect(await snapshot(store)).toBe(before);
      // The limit itself is taken (Graph never sends this many at once).
      expect((await post(JSON.stringify({ value: many.slice(1) }))).status).toBe(202);
      const rows = await store.db.transaction((tx) => readInbox(tx, 2000));
      expect(rows).toHaveLength(webhookLimits.maxNotifications);
    });

    it('answers 400 to a malformed body and 413 to a huge one, storing nothing', async () => {
      const before = await snapshot(store);
      expect((await post('{"value": [')).status).toBe(400);
      expect((await post('{"nothing": 1}')).status).toBe(400);
      expect((await post(JSON.stringify({ value: [{ clientState: secret, resource: 'x' }] }))).status).toBe(
        400,
      );
      const huge = JSON.stringify({ value: [notification('r6')], pad: 'x'.repeat(2 * 1024 * 1024) });
      expect((await post(huge)).status).toBe(413);
      expect(await snapshot(store)).toBe(before);
    });

    it('over HTTP (Node request): stores a chunked body, refuses a huge one without a length, 413 by length', async () => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
      await new Promise((resolve) => server.once('listening', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
      try {
        const before = await snapshot(store);
        const chunked = (text: string) =>
          new Request(url, {
            method: 'POST',
            // A stream body goes out chunked, with no content-length to refuse it by.
            body: new Blob([text]).stream(),
            duplex: 'half',
            headers: { 'content-type': 'application/json' },
          } as RequestInit);
        const huge = JSON.stringify({ value: [notification('h1')], pad: 'x'.repeat(2 * 1024 * 1024) });
        expect((await fetch(chunked(huge))).status).toBe(413);
        expect((await fetch(url, { method: 'POST', body: huge })).status).toBe(413);
        expect(await snapshot(store)).toBe(before);
        const ok = await fetch(chunked(JSON.stringify({ value: [notification('h2'), notification('h3')] })));
        expect(ok.status).toBe(202);
        const rows = await store.db.transaction((tx) => readInbox(tx, 10));
        expect(rows.map((r) => r.recordId)).toEqual(['h2', 'h3']);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('writes notifications of requests that arrive together in one commit, each answered after it', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `g${i}`);
      const answers = await Promise.all(ids.map((id) => post(JSON.stringify({ value: [notification(id)] }))));
      expect(answers.map((r) => r.status)).toEqual(ids.map(() => 202));
      const rows = await store.db.transaction((tx) => readInbox(tx, 100));
      expect(rows.map((r) => r.recordId).sort()).toEqual([...ids].sort());
      // One commit: every row carries the same receive time and ids are consecutive.
      expect(new Set(rows.map((r) => r.receivedAt)).size).toBe(1);
      expect(rows[rows.length - 1].id - rows[0].id).toBe(ids.length - 1);
    });

    it('serves /metrics and /api/v1/health', async () => {
      const metrics = await app.fetch(new Request('http://127.0.0.1/metrics'));
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('calltrove_notifications_received_total');
      expect(text).toContain('calltrove_subscription_active 1');
      const health = await app.fetch(new Request('http://127.0.0.1/api/v1/health'));
      expect([200, 503]).toContain(health.status);
      const body = (await health.json()) as {
        subscription: { id: string };
        status: string;
        database: string;
      };
      expect(body.subscription.id).toBe('s1');
      // The API's health answer, with the collector's status beside it.
      expect(body.database).toBe(database.name);
      expect(['ok', 'warning', 'failing']).toContain(body.status);
    });

    it("answers a failing handler with the API's error body, never the error's text", async () => {
      const failing = createWebhookApp({
        store,
        clock,
        logger: silentLogger,
        metrics: createCollectorMetrics(),
        status: () => Promise.reject(new Error(`secret detail ${secret}`)),
      }).app;
      const res = await failing.fetch(new Request('http://127.0.0.1/api/v1/health'));
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal', message: 'internal error' } });
      expect(text).not.toContain(secret);
    });
  });
}

describe('sameSecret', () => {
  it('compares in constant time whatever the lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});
