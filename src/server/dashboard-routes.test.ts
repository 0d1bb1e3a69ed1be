// The dashboard endpoints and the OpenAPI description, in process over a store filled through ingest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackSummary } from '../analytics/get-feedback-summary.ts';
import type { Overview } from '../analytics/get-overview.ts';
import type { Reliability } from '../analytics/get-reliability.ts';
import type { QualityRow } from '../analytics/quality-query.ts';
import type { QualityAnswer } from './api-types.ts';
import { filledTestStore, type TestStore, testApp } from './test-app.ts';

let t: TestStore;
beforeAll(async () => {
  t = await filledTestStore({ calls: 150 });
});
afterAll(async () => {
  await t.dispose();
});

const get = async <T>(
  app: ReturnType<typeof testApp>['app'],
  path: string,
  init?: RequestInit,
): Promise<T> => {
  const res = await app.request(path, init);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));

describe('dashboard endpoints', () => {
  it('overview totals agree with the quality query and with its own days', async () => {
    const { app } = testApp(t.store);
    const o = await get<Overview>(app, '/api/v1/overview?since=30d');
    const q = await get<QualityAnswer>(app, '/api/v1/quality?since=30d&measures=calls,streams,poorPercent');
    expect(o.totals.calls).toBe(q.rows[0].calls);
    expect(o.totals.streams).toBe(q.rows[0].streams);
    expect(o.byDay.reduce((a, d) => a + Number(d.streams), 0)).toBe(o.totals.streams);
    expect(o.byNetworkType.map((r) => r.networkType)).toEqual(expect.arrayContaining(['wifi', 'wired']));
  });

  it('ranks the planted bad building and home subnet first, and reports the uncovered subnet', async () => {
    const { app } = testApp(t.store);
    const worst = await get<{ rows: QualityRow[] }>(
      app,
      '/api/v1/worst/buildings?since=30d&minClassifiedStreams=5',
    );
    expect(worst.rows[0].building).toBe('Leeds Branch');
    const subnets = await get<{ rows: QualityRow[] }>(
      app,
      '/api/v1/worst/subnets?since=30d&minClassifiedStreams=5',
    );
    expect(['10.20.1.0', '192.168.7.0']).toContain(subnets.rows[0].subnet);
    const missing = await get<{ rows: QualityRow[] }>(app, '/api/v1/missing-subnets?since=30d');
    expect(missing.rows.map((r) => r.subnet)).toEqual(['192.168.7.0']);
    const versions = await get<{ rows: QualityRow[] }>(
      app,
      '/api/v1/worst/client-versions?since=30d&minClassifiedStreams=5',
    );
    expect(versions.rows[0].clientVersion).toBe('1.5.00.2011');
  });

  it('downloads a worst list as CSV holding the same rows as the JSON', async () => {
    const { app } = testApp(t.store);
    const json = await get<{ rows: QualityRow[] }>(
      app,
      '/api/v1/worst/buildings?since=30d&minClassifiedStreams=5',
    );
    const res = await app.request('/api/v1/worst/buildings?since=30d&minClassifiedStreams=5&format=csv');
    const [header, ...rows] = csvRows(await res.text());
    expect(header.slice(0, 3)).toEqual(['building', 'city', 'country']);
    expect(rows.map((r) => r[0])).toEqual(json.rows.map((r) => r.building));
    const streams = header.indexOf('streams');
    expect(rows.map((r) => Number(r[streams]))).toEqual(json.rows.map((r) => r.streams));
  });

  it('answers reliability, feedback, PSTN and QER targets', async () => {
    const { app } = testApp(t.store);
    const r = await get<Reliability>(app, '/api/v1/reliability?since=30d');
    expect(r.totals.streams).toBeGreaterThan(0);
    const f = await get<FeedbackSummary>(app, '/api/v1/feedback?since=30d');
    expect(f.responses).toBeGreaterThan(0);
    expect(f.ratings.reduce((a, x) => a + x.count, 0)).toBe(f.responses);
    const p = await get<{ pstn: { calls: number } }>(app, '/api/v1/pstn?since=30d');
    expect(p.pstn.calls).toBe(0);
    const q = await get<{ targets: { id: string }[] }>(app, '/api/v1/qer-targets?since=30d');
    expect(q.targets.map((x) => x.id)).toContain('overall');
    const csv = await app.request('/api/v1/feedback?since=30d&format=csv&table=tokens');
    expect(csvRows(await csv.text())[0]).toEqual(['token', 'count']);
  });

  it('folds groups below privacy.minGroupSize into "other" for a viewer, not for an investigator', async () => {
    const viewer = 'viewer-token-0123456789abcdef';
    const investigator = 'investigator-token-0123456789';
    const { app } = testApp(t.store, {
      suppress: true,
      config: {
        api: {
          tokens: [
            { token: viewer, role: 'viewer' },
            { token: investigator, role: 'investigator' },
          ],
        },
        privacy: { minGroupSize: 1000 },
      },
    });
    const auth = (tok: string) => ({ headers: { authorization: `Bearer ${tok}` } });
    const path = '/api/v1/worst/buildings?since=30d&minClassifiedStreams=5';
    const seen = await get<{ rows: QualityRow[]; suppressed: boolean }>(app, path, auth(investigator));
    const folded = await get<{ rows: QualityRow[]; suppressed: boolean }>(app, path, auth(viewer));
    expect(seen.suppressed).toBe(false);
    expect(folded.suppressed).toBe(true);
    expect(folded.rows).toHaveLength(1);
    expect(folded.rows[0].building).toBe('other');
    expect(folded.rows[0].streams).toBe(seen.rows.reduce((a, r) => a + Number(r.streams), 0));
    const q = await get<QualityAnswer>(app, '/api/v1/quality?by=network-type&since=30d', auth(viewer));
    expect(q.rows.map((r) => r.networkType)).toEqual(['other']);
    expect((await app.request('/api/v1/overview?user=x', auth(viewer))).status).toBe(403);
  });
});

describe('per-user filters on dashboard answers', () => {
  it('are audited for an investigator', async () => {
    const { app, audits } = testApp(t.store);
    const user = String((t.records[0].organizer_v2 as { id: string }).id);
    const o = await get<Overview>(app, `/api/v1/overview?since=30d&user=${user}`);
    expect(o.totals.streams).toBeGreaterThan(0);
    expect(audits).toEqual([
      expect.objectContaining({ action: 'quality.individuals', role: 'investigator' }),
    ]);
    await get(app, '/api/v1/overview?since=30d');
    expect(audits).toHaveLength(1);
  });
});

describe('OpenAPI description', () => {
  it('describes every API route the app serves', async () => {
    const { app } = testApp(t.store);
    const doc = await get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      app,
      '/api/v1/openapi.json',
    );
    expect(doc.openapi).toMatch(/^3\./);
    const served = app.routes
      .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL' && !r.path.endsWith('/openapi.json'))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([^/]+)/g, '{$1}')}`);
    const described = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(served.length).toBeGreaterThan(15);
    expect([...new Set(served)].sort()).toEqual([...new Set(described)].sort());
  });
});
