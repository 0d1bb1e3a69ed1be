// Graph's throttling budgets: per record, per list, per app and tenant, PSTN; 429 with Retry-After as Graph answers.
import { afterEach, describe, expect, it } from 'vitest';
import { graphClient, testTwin } from './test-client.ts';
import { graphBudgets } from './throttle.ts';
import type { Twin, TwinOptions } from './twin.ts';

const twins: Twin[] = [];
function make(options: Partial<TwinOptions> = {}) {
  const made = testTwin({ throttle: graphBudgets, ...options });
  twins.push(made.twin);
  return made;
}
afterEach(() => {
  for (const t of twins.splice(0)) t.stop();
});

async function someIds(twin: Twin, n: number): Promise<string[]> {
  const body = (await (await twin.fetch(new Request('https://x/_twin/truth'))).json()) as {
    tenants: Record<string, Array<{ id: string }>>;
  };
  return body.tenants[twin.homeTenantId].slice(0, n).map((r) => r.id);
}

describe('throttling', () => {
  it('answers the 41st request for one record within 20 s with 429, Retry-After and TooManyRequests', async () => {
    const { twin, clock } = make();
    const graph = await graphClient(twin);
    const [id, other] = await someIds(twin, 2);
    for (let i = 0; i < 40; i++) {
      const path = i % 2 ? `/communications/callRecords/${id}` : `/communications/callRecords/${id}/sessions`;
      expect((await graph.get(path)).status).toBe(200);
      await clock.advance(100);
    }
    const limited = await graph.get(`/communications/callRecords/${id}`);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    // Other records are not affected; waiting as told lets the request through.
    expect((await graph.get(`/communications/callRecords/${other}`)).status).toBe(200);
    await clock.advance(retryAfter * 1000);
    expect((await graph.get(`/communications/callRecords/${id}`)).status).toBe(200);
  });

  it('limits listing to 40 requests per 20 s', async () => {
    const { twin } = make();
    const graph = await graphClient(twin);
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++)
      statuses.push((await graph.get('/communications/callRecords?$top=1')).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses[40]).toBe(429);
  });

  it('applies the per app and tenant budget across records, separately for each tenant', async () => {
    const { twin } = make({ throttle: { ...graphBudgets, appTenant: { limit: 5, windowMs: 20_000 } } });
    const home = await graphClient(twin);
    const ids = await someIds(twin, 6);
    const statuses = [];
    for (const id of ids) statuses.push((await home.get(`/communications/callRecords/${id}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const external = await graphClient(twin, twin.tenants[1].id);
    expect((await external.get('/communications/callRecords')).status).toBe(200);
  });

  it('limits each PSTN collection to 50 requests per 60 s', async () => {
    const { twin, clock } = make();
    const graph = await graphClient(twin);
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const path = `/communications/callRecords/getPstnCalls(fromDateTime=2026-01-01,toDateTime=${day})`;
    for (let i = 0; i < 50; i++) expect((await graph.get(path)).status).toBe(200);
    const limited = await graph.get(path);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await graph.get(path.replace('getPstnCalls', 'getDirectRoutingCalls'))).status).toBe(200);
  });
});
