// GET /api/v1/changes behind the real API: the default windows (7 days, the 30 before), each metric's counts as
// /quality counts the same window and media type, CSV columns, and the errors of a bad baseline or parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesAnswer } from '../analytics/cause-types.ts';
import { filledTestStore, type TestStore, testApp, testNow } from './test-app.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const hour = 3_600_000;
const day = 24 * hour;

describe('GET /api/v1/changes', () => {
  let t: TestStore;
  let app: ReturnType<typeof testApp>['app'];
  const get = (path: string, token = investigator) =>
    app.request(path, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    t = await filledTestStore({ calls: 120 });
    app = testApp(t.store, {
      config: {
        api: {
          tokens: [
            { token: investigator, role: 'investigator' },
            { token: viewer, role: 'viewer' },
          ],
        },
      },
    }).app;
  }, 120_000);

  afterAll(async () => t?.dispose());

  it('compares the last 7 days with the 30 before, each media type and failure rate counted as /quality does', async () => {
    const res = await get('/api/v1/changes');
    expect(res.status).toBe(200);
    const a = (await res.json()) as ChangesAnswer;
    const until = Math.ceil(testNow / hour) * hour;
    expect(a.recent).toEqual({ since: until - 7 * day, until });
    expect(a.baseline).toEqual({ since: until - 37 * day, until: until - 7 * day });
    const rows = [...a.changes, ...a.unchanged];
    expect(rows.map((r) => `${r.metric}:${r.mediaType.join('+')}`).sort()).toEqual(
      [
        'drop-failure-percent:audio',
        'poor-percent:audio',
        'poor-percent:vbss',
        'poor-percent:video',
        'poor-rating-percent:',
        'setup-failure-percent:audio',
      ].sort(),
    );
    const quality = async (media: string, w: { since: number; until: number }) => {
      const q = new URLSearchParams({
        'media-type': media,
        since: new Date(w.since).toISOString(),
        until: new Date(w.until).toISOString(),
        measures: 'streams,classifiedStreams,poorStreams,setupFailedStreams,droppedStreams',
      });
      const body = (await (await get(`/api/v1/quality?${q}`)).json()) as { rows: Record<string, number>[] };
      return body.rows[0] ?? {};
    };
    for (const r of rows.filter((x) => x.metric !== 'poor-rating-percent')) {
      for (const [w, side] of [
        [a.recent, r.recent],
        [a.baseline, r.baseline],
      ] as const) {
        const q = await quality(r.mediaType[0], w);
        const expected = {
          'poor-percent': [q.classifiedStreams ?? 0, q.poorStreams ?? 0],
          'setup-failure-percent': [q.streams ?? 0, q.setupFailedStreams ?? 0],
          'drop-failure-percent': [(q.streams ?? 0) - (q.setupFailedStreams ?? 0), q.droppedStreams ?? 0],
        }[r.metric as 'poor-percent'];
        expect([side.streams, side.events], `${r.label}`).toEqual(expected);
      }
    }
    expect(rows.some((r) => r.recent.streams > 0)).toBe(true);
  });

  it('takes a baseline as a length or a start date, and refuses one that does not come before the window', async () => {
    const a = (await (await get('/api/v1/changes?since=3d&baseline=2w')).json()) as ChangesAnswer;
    expect(a.recent.since - a.baseline.since).toBe(14 * day);
    const start = '2024-12-01';
    const b = (await (await get(`/api/v1/changes?since=3d&baseline=${start}`)).json()) as ChangesAnswer;
    expect(b.baseline.since).toBe(Date.parse(`${start}T00:00:00Z`));
    const late = await get(`/api/v1/changes?since=2d&baseline=${new Date(testNow).toISOString()}`);
    expect(late.status).toBe(400);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/baseline/);
    expect((await get('/api/v1/changes?baseline=0d')).status).toBe(400);
    expect((await get('/api/v1/changes?basline=30d')).status).toBe(400);
    expect((await get('/api/v1/changes?user=someone', viewer)).status).toBe(403);
  });

  it('downloads one CSV row per explaining value with the metric it explains', async () => {
    const res = await get('/api/v1/changes?format=csv');
    expect(res.status).toBe(200);
    const [head] = (await res.text()).replace(/^\uFEFF/, '').split(/\r\n/);
    expect(head).toBe(
      'metric,recentPercent,baselinePercent,changePoints,z,rank,dimensions,values,recentEvents,recentStreams,driverRecentPercent,driverBaselinePercent,baselineOf,impact,shareOfChangePercent,users',
    );
  });
});
