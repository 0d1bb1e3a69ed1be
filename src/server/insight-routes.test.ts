// GET /api/v1/causes behind the real API: its scope and each cause's counts agree with /quality, a viewer sees no
// cause of fewer than privacy.minGroupSize users and no per-user scope, CSV has one row per cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CausesAnswer } from '../analytics/cause-types.ts';
import { filledTestStore, type TestStore, testApp } from './test-app.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const minGroupSize = 5;

describe('GET /api/v1/causes', () => {
  let t: TestStore;
  let app: ReturnType<typeof testApp>['app'];
  const get = (path: string, token = investigator) =>
    app.request(path, { headers: { authorization: `Bearer ${token}` } });
  let full: CausesAnswer;

  beforeAll(async () => {
    t = await filledTestStore({ calls: 160 });
    app = testApp(t.store, {
      suppress: true,
      config: {
        privacy: { minGroupSize },
        api: {
          tokens: [
            { token: investigator, role: 'investigator' },
            { token: viewer, role: 'viewer' },
          ],
        },
      },
    }).app;
    const res = await get('/api/v1/causes?limit=100');
    expect(res.status).toBe(200);
    full = (await res.json()) as CausesAnswer;
  }, 120_000);

  afterAll(async () => t?.dispose());

  it('counts the audio scope as /quality does, and every single-value cause as /quality counts its group', async () => {
    const total = (await (
      await get('/api/v1/quality?media-type=audio&measures=classifiedStreams,poorStreams')
    ).json()) as { rows: { classifiedStreams: number; poorStreams: number }[] };
    expect(full.scope).toMatchObject({
      classifiedStreams: total.rows[0].classifiedStreams,
      poorStreams: total.rows[0].poorStreams,
    });
    expect(full.causes.length + full.explained.length).toBeGreaterThan(0);
    for (const c of [...full.causes, ...full.explained].filter((x) => x.dimensions.length === 1)) {
      const q = new URLSearchParams({ 'media-type': 'audio', measures: 'classifiedStreams,poorStreams' });
      q.set(c.dimensions[0], c.values[0]);
      const body = (await (await get(`/api/v1/quality?${q}`)).json()) as typeof total;
      expect([c.classifiedStreams, c.poorStreams], c.label).toEqual([
        body.rows[0].classifiedStreams,
        body.rows[0].poorStreams,
      ]);
      // Ranked by excess, and the excess is the poor streams beyond the rest of the scope's rate.
      const rest =
        (full.scope.poorStreams - c.poorStreams) / (full.scope.classifiedStreams - c.classifiedStreams);
      expect(c.excessPoorStreams).toBeCloseTo(c.poorStreams - c.classifiedStreams * rest, 6);
    }
    const excess = full.causes.map((c) => c.excessPoorStreams);
    expect(excess).toEqual([...excess].sort((a, b) => b - a));
  });

  it('leaves out, for a viewer, the causes of fewer users than the minimum and says how many', async () => {
    const res = await get('/api/v1/causes?limit=100', viewer);
    expect(res.status).toBe(200);
    const seen = (await res.json()) as CausesAnswer;
    const small = [...full.causes, ...full.explained].filter((c) => c.users < minGroupSize);
    expect(seen.hiddenSmallGroups).toBe(small.length);
    expect([...seen.causes, ...seen.explained].every((c) => c.users >= minGroupSize)).toBe(true);
    expect(seen.causes.map((c) => c.rank)).toEqual(seen.causes.map((_, i) => i + 1));
    expect((await get('/api/v1/causes?user=someone', viewer)).status).toBe(403);
  });

  it('downloads the causes as CSV and refuses an unknown parameter', async () => {
    const res = await get('/api/v1/causes?format=csv&limit=100');
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe(
      'rank,dimensions,values,classifiedStreams,poorStreams,poorPercent,excessPoorStreams,shareOfPoorPercent,z,users',
    );
    expect(lines).toHaveLength(full.causes.length + 1);
    expect((await get('/api/v1/causes?bulding=HQ')).status).toBe(400);
  });
});
