// Hostile webhook bodies, on each database: whatever arrives, the answer is a 2xx/4xx (never a 500 that Graph or an
// attacker could replay for hours), nothing is stored unless a notification carries the right clientState for this
// tenant and a plausible record id, and one bad notification never costs the good ones beside it.
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { readInbox } from '../store/notification-inbox.ts';
import type { Store } from '../store/store.ts';
import { testDatabases, useTestStore } from '../store/test-stores.ts';
import { postNotification, subscribedWebhook } from './test-webhook.ts';
import type { createWebhookApp } from './webhook.ts';

const secret = 'hostile-suite-client-state-0123456789';
const tenant = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const template = (
  JSON.parse(
    readFileSync(new URL('./testdata/v1.0_changeNotification_callRecord.json', import.meta.url), 'utf8'),
  ) as { value: Record<string, unknown>[] }
).value[0];

function good(id: string): Record<string, unknown> {
  return {
    ...template,
    clientState: secret,
    tenantId: tenant,
    resource: `communications/callRecords/${id}`,
    resourceData: {
      '@odata.type': '#Microsoft.Graph.callRecord',
      '@odata.id': `communications/callRecords/${id}`,
      id,
    },
  };
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Bodies of which nothing may be stored. */
const hostileBodies: Array<[string, string]> = [
  ['empty', ''],
  ['not JSON', 'value=1'],
  ['JSON null', 'null'],
  ['a number', '42'],
  ['a string', '"value"'],
  ['an array', '[{"clientState":"x"}]'],
  ['value an object', '{"value":{"0":{}}}'],
  ['value a string', '{"value":"[]"}'],
  ['deeply nested', `{"value":[${nested(5_000)}]}`],
  ['items not objects', '{"value":[1,"a",null,true,[]]}'],
  ['no clientState', JSON.stringify({ value: [{ ...good('n1'), clientState: undefined }] })],
  ['clientState an array', JSON.stringify({ value: [{ ...good('n2'), clientState: [secret] }] })],
  [
    'clientState an object',
    JSON.stringify({ value: [{ ...good('n3'), clientState: { toString: secret } }] }),
  ],
  ['clientState a prefix', JSON.stringify({ value: [{ ...good('n4'), clientState: secret.slice(0, -1) }] })],
  ['clientState with a NUL', JSON.stringify({ value: [{ ...good('n5'), clientState: `${secret}\u0000` }] })],
  [
    'another tenant',
    JSON.stringify({ value: [{ ...good('n6'), tenantId: 'aaaaaaaa-0000-0000-0000-000000000000' }] }),
  ],
  [
    'not a call record',
    JSON.stringify({ value: [{ ...good('n7'), resource: 'users/x', resourceData: {} }] }),
  ],
  ['id with a NUL', JSON.stringify({ value: [{ ...good('n8'), resourceData: { id: 'abc\u0000def' } }] })],
  ['id with a slash', JSON.stringify({ value: [{ ...good('n9'), resourceData: { id: '../../users' } }] })],
  [
    'id a dot segment',
    JSON.stringify({
      value: [{ ...good('n9'), resource: 'communications/callRecords/..', resourceData: { id: '..' } }],
    }),
  ],
  ['id with a query', JSON.stringify({ value: [{ ...good('n9'), resourceData: { id: 'x?$select=id' } }] })],
  [
    'id of 10,000 characters',
    JSON.stringify({ value: [{ ...good('n10'), resourceData: { id: 'a'.repeat(10_000) } }] }),
  ],
  ['id a number', JSON.stringify({ value: [{ ...good('n11'), resource: 'x', resourceData: { id: 7 } }] })],
  ['changeType with a NUL', JSON.stringify({ value: [{ ...good('n12'), changeType: 'updated\u0000' }] })],
  [
    'lifecycle event with a NUL',
    JSON.stringify({ value: [{ ...good('n13'), lifecycleEvent: 'missed\u0000' }] }),
  ],
  [
    'prototype keys',
    `{"value":[{"__proto__":{"clientState":"${secret}"},"constructor":{"prototype":{"x":1}}}]}`,
  ],
  [
    'lone surrogates',
    `{"value":[{"clientState":"\\ud800","resource":"communications/callRecords/\\udfff"}]}`,
  ],
  ['too many', JSON.stringify({ value: Array.from({ length: 1_001 }, (_, i) => good(`m${i}`)) })],
  ['too large', JSON.stringify({ value: [good('big')], pad: 'x'.repeat(1_100_000) })],
];

for (const database of await testDatabases()) {
  describe(`hostile webhook bodies (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });
    let app: ReturnType<typeof createWebhookApp>['app'];
    const clock = new ManualClock();
    const post = (body: string) => postNotification(app, '/api/notifications', body);

    beforeAll(async () => {
      app = await subscribedWebhook(store, {
        clock,
        secret,
        tenantId: tenant,
        notificationUrl: 'https://collector.test/api/notifications',
      });
    });
    beforeEach(async () => {
      await store.db.run('DELETE FROM collector_inbox');
    });

    for (const [name, body] of hostileBodies)
      it(`${name}: a 4xx (or 202 with nothing kept), nothing stored`, async () => {
        const res = await post(body);
        expect([202, 400, 403, 404, 413], `${res.status}`).toContain(res.status);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await res.text()).not.toContain(secret);
        expect(await store.db.transaction((tx) => readInbox(tx, 10))).toEqual([]);
      });

    it('keeps the good notifications of a batch whatever else it holds', async () => {
      const bad = hostileBodies
        .filter(([name]) => !['too many', 'too large', 'deeply nested'].includes(name))
        .flatMap(([, body]) => {
          try {
            const v = (JSON.parse(body) as { value?: unknown })?.value;
            return Array.isArray(v) ? v : [];
          } catch {
            return [];
          }
        });
      const res = await post(JSON.stringify({ value: [good('ok-1'), ...bad, good('ok-2')] }));
      expect(res.status).toBe(202);
      const rows = await store.db.transaction((tx) => readInbox(tx, 100));
      expect(rows.map((r) => r.recordId)).toEqual(['ok-1', 'ok-2']);
    });
  });
}
