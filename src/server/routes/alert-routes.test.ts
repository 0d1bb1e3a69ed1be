// /api/v1/alerts in-process: every role sees what fires and the rules; only investigators acknowledge and mute;
// channel secrets never appear in an answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../alerts/evaluate.ts';
import { type AlertTestDir, alertTestDir, testNow } from '../../alerts/test-setup.ts';
import { loadConfig } from '../../config/config.ts';
import { silentLogger } from '../../config/logger.ts';
import type { AlertDetail, AlertsOverview } from '../../service/alerts.ts';
import type { Store } from '../../store/store.ts';
import { testApp } from '../test-app.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const channels = [
  {
    name: 'oncall',
    type: 'webhook',
    url: 'https://hooks.example.com/path-token-xyz',
    secret: 'hmac-secret-0123456789',
  },
  {
    name: 'teams',
    type: 'teams',
    url: 'https://prod.westus.logic.azure.com/workflows/abc?sig=SIG-SECRET-123',
  },
];

describe('alerts API', () => {
  let t: AlertTestDir;
  let store: Store;
  let app: ReturnType<typeof testApp>['app'];
  beforeAll(async () => {
    t = await alertTestDir();
    store = await t.open();
    const input = {
      api: {
        tokens: [
          { token: investigator, role: 'investigator' as const },
          { token: viewer, role: 'viewer' as const },
        ],
      },
      // The quality rule's alerts only (the cause rule would add Beta's subnet).
      alerts: { channels, rules: [{ id: 'poor-audio-cause', enabled: false }] },
    };
    await evaluateAlerts({
      store,
      config: loadConfig({ overrides: input as never }),
      now: testNow,
      logger: silentLogger,
    });
    app = testApp(store, { config: input as never }).app;
  });
  afterAll(async () => {
    await store.close();
    t.dispose();
  });
  const call = (path: string, token: string, init: RequestInit = {}) =>
    app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });

  it('shows a viewer the firing alerts, the rules with their thresholds and the channels without secrets', async () => {
    const res = await call('/api/v1/alerts', viewer);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as AlertsOverview;
    expect(body.active.map((a) => a.scopeKey).sort()).toEqual(['building:Beta', 'organization']);
    expect(body.canHandle).toBe(false);
    expect(body.rules.find((r) => r.id === 'audio-poor-rate')).toMatchObject({
      threshold: 3,
      unit: '%',
      windowMinutes: 240,
    });
    expect(body.channels).toEqual([
      { name: 'oncall', type: 'webhook', target: 'https://hooks.example.com/…' },
      { name: 'teams', type: 'teams', target: 'https://prod.westus.logic.azure.com/…' },
    ]);
    for (const secret of ['path-token-xyz', 'hmac-secret', 'SIG-SECRET', 'sig='])
      expect(text).not.toContain(secret);
  });

  it('refuses acknowledging and muting to a viewer and lets an investigator do both, with history', async () => {
    const { active } = (await (await call('/api/v1/alerts', investigator)).json()) as AlertsOverview;
    const beta = active.find((a) => a.scopeKey === 'building:Beta');
    expect(beta).toBeDefined();
    const id = beta?.id as number;
    const refused = await call(`/api/v1/alerts/${id}/ack`, viewer, { method: 'POST' });
    expect(refused.status).toBe(403);
    const ack = await call(`/api/v1/alerts/${id}/ack`, investigator, { method: 'POST' });
    expect(ack.status).toBe(200);
    expect((await ack.json()) as { ackedBy: string }).toMatchObject({
      ackedBy: expect.stringMatching(/^token:[0-9a-f]{12}$/),
    });
    const again = await call(`/api/v1/alerts/${id}/ack`, investigator, { method: 'POST' });
    expect(again.status).toBe(200);

    const body = JSON.stringify({ target: String(id), for: '2h' });
    expect((await call('/api/v1/alerts/mutes', viewer, { method: 'POST', body })).status).toBe(403);
    const muted = await call('/api/v1/alerts/mutes', investigator, { method: 'POST', body });
    expect(muted.status).toBe(200);
    const mute = (await muted.json()) as { id: number; scopeKey: string; untilAt: number; createdAt: number };
    expect(mute.scopeKey).toBe('building:Beta');
    expect(mute.untilAt - mute.createdAt).toBe(2 * 3_600_000);
    const bad = await call('/api/v1/alerts/mutes', investigator, {
      method: 'POST',
      body: JSON.stringify({ target: String(id), for: 'forever' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/bad mute duration/);
    const ended = await call(`/api/v1/alerts/mutes/${mute.id}`, investigator, { method: 'DELETE' });
    expect(await ended.json()).toEqual({ ended: 1 });

    const detail = (await (await call(`/api/v1/alerts/${id}`, viewer)).json()) as AlertDetail;
    expect(detail.events.map((e) => e.kind)).toEqual(['fired', 'acknowledged']);
    expect(detail.deliveries.map((d) => [d.channel, d.state])).toEqual([
      ['oncall', 'pending'],
      ['teams', 'pending'],
    ]);
    expect((await call('/api/v1/alerts/99999', viewer)).status).toBe(404);
  });
});
