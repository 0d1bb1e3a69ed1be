// Drill-down over the API: the users and calls lists take the quality filters (a user's own streams, the poor
// stream of the filtered media), levels add up to the level above, and the filter bar's values come from the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserSummary } from '../analytics/list-users.ts';
import type { QualityRow } from '../analytics/quality-query.ts';
import { filledTestStore, type TestStore, testApp } from './test-app.ts';

let t: TestStore;
beforeAll(async () => {
  t = await filledTestStore({ calls: 150 });
});
afterAll(async () => {
  await t.dispose();
});

async function get<T>(path: string): Promise<T> {
  const { app } = testApp(t.store);
  const res = await app.request(`/api/v1${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
const sum = (rows: object[], k: string) =>
  rows.reduce((a, r) => a + Number((r as Record<string, unknown>)[k] ?? 0), 0);

describe('drill-down', () => {
  it('poor calls only with media-type=video are the calls whose poor stream was video', async () => {
    const calls = await get<{ calls: { id: string }[]; total: number }>(
      '/calls?since=30d&poor=true&media-type=video&limit=1000',
    );
    const want = await t.store.db.all<{ call_id: string }>(
      "SELECT DISTINCT call_id FROM stream_facts WHERE media_type = 'video' AND quality = 'poor'",
    );
    expect(calls.calls.map((c) => c.id).sort()).toEqual(want.map((r) => r.call_id).sort());
    const anyPoor = await get<{ total: number }>('/calls?since=30d&poor=true&limit=1000');
    expect(anyPoor.total).toBeGreaterThan(calls.total);
  });

  it('adds up level by level: building → subnet → user → calls, filters kept', async () => {
    const f = 'since=30d&media-type=audio';
    const buildings = await get<{ rows: QualityRow[] }>(`/quality?${f}&by=building`);
    const leeds = buildings.rows.find((r) => r.building === 'Leeds Branch') as QualityRow;
    const subnets = await get<{ rows: QualityRow[] }>(`/quality?${f}&building=Leeds Branch&by=subnet`);
    expect(sum(subnets.rows, 'streams')).toBe(leeds.streams);
    const subnet = String(subnets.rows[0].subnet);
    const scope = `${f}&building=Leeds Branch&subnet=${subnet}`;
    const users = await get<{ users: UserSummary[] }>(`/users?${scope}&limit=1000`);
    expect(sum(users.users, 'streams')).toBe(subnets.rows[0].streams);
    const user = users.users[0];
    const calls = await get<{ total: number }>(
      `/calls?since=30d&media-type=audio&subnet=${subnet}&building=Leeds Branch&user=${user.id}&limit=1000`,
    );
    expect(calls.total).toBe(user.calls);
  });

  it('a reliability reason opens its failed calls', async () => {
    const r = await get<{ reasons: { stage: string; reason: string | null; count: number }[] }>(
      '/reliability?since=30d',
    );
    const reason = r.reasons.find((x) => x.reason !== null);
    expect(reason).toBeDefined();
    const { stage, reason: why } = reason as { stage: string; reason: string };
    const calls = await get<{ calls: { id: string }[] }>(
      `/calls?since=30d&failureStage=${stage}&failureReason=${encodeURIComponent(why)}&limit=1000`,
    );
    const want = await t.store.db.all<{ id: string }>(
      `SELECT DISTINCT call_id AS id FROM call_segments WHERE failure_stage = ? AND failure_reason = ?
       UNION SELECT DISTINCT call_id AS id FROM call_sessions WHERE failure_stage = ? AND failure_reason = ?`,
      [stage, why, stage, why],
    );
    expect(calls.calls.map((c) => c.id).sort()).toEqual([...new Set(want.map((x) => x.id))].sort());
    expect(calls.calls.length).toBeGreaterThan(0);
  });

  it('lists the values of the filter bar in the period, and refuses per-user values to viewers', async () => {
    const v = await get<{ values: Record<string, { value: string | null; streams: number }[]> }>(
      '/dimension-values?since=30d&dimension=building,media-type,network-type',
    );
    expect(v.values.building.map((x) => x.value)).toEqual(
      expect.arrayContaining(['Amsterdam HQ', 'Leeds Branch', null]),
    );
    expect(v.values['media-type'].map((x) => x.value)).toContain('audio');
    const viewer = 'v'.repeat(32);
    const { app } = testApp(t.store, { config: { api: { tokens: [{ token: viewer, role: 'viewer' }] } } });
    const res = await app.request('/api/v1/dimension-values?dimension=user', {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(res.status).toBe(403);
  });
});
