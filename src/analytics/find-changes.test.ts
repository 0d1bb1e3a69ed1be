// What changed, on hand-made recent and baseline streams whose answer is worked by hand: a client version new this
// week, a building that only looks worse because the new version is used there, a chronic building, noise.
import { describe, expect, it } from 'vitest';
import type { CauseCounts } from './cause-groups.ts';
import { findChangesIn } from './find-changes.ts';
import type { Dimension } from './quality-query.ts';
import { streams, type TestStream, testCounts } from './test-cause-counts.ts';

const day = 86_400_000;
const until = Date.UTC(2026, 10, 30);
const since = until - 7 * day;
const baselineSince = since - 30 * day;
const dims: Dimension[] = ['building', 'client-version'];

/** Counts that answer the recent window from `recent` and the baseline window from `baseline`. */
function windows(recent: TestStream[], baseline: TestStream[]): CauseCounts {
  const [r, b] = [testCounts(recent), testCounts(baseline)];
  const pick = (s: { since?: number; until?: number }) => {
    if (s.since === since && s.until === until) return r;
    if (s.since === baselineSince && s.until === since) return b;
    throw new Error(`unexpected window ${s.since}..${s.until}`);
  };
  return {
    groups: (s, by) => pick(s).groups(s, by),
    total: (s) => pick(s).total(s),
    cross: (s, a, c) => pick(s).cross(s, a, c),
    outside: (s, inside, others) => pick(s).outside(s, inside, others),
  };
}

const video = (count: number, poor: number, building: string, version: string) =>
  streams(count, poor, { 'media-type': 'video', building, 'client-version': version });

describe('findChanges', () => {
  // Baseline: A 2000 at 5%, C (chronic) 500 at 20%: 200 poor of 2500, 8%.
  const baseline = [...video(2000, 100, 'A', 'v1'), ...video(500, 100, 'C', 'v1')];
  // Recent: v2 rolled out (A 300 with 120 poor, C 100 with 40 poor); v1 as before.
  const recent = [
    ...video(500, 25, 'A', 'v1'),
    ...video(300, 120, 'A', 'v2'),
    ...video(100, 20, 'C', 'v1'),
    ...video(100, 40, 'C', 'v2'),
  ];

  it('ranks the new client version first, measured against the scope baseline, the buildings using it explained by it', async () => {
    const a = await findChangesIn(windows(recent, baseline), {
      since,
      until,
      baselineSince,
      filters: { 'media-type': ['video'] },
      dimensions: dims,
    });
    expect(a.changes).toHaveLength(1);
    const [poor] = a.changes;
    expect(poor.metric).toBe('poor-percent');
    expect(poor.recent).toEqual({ streams: 1000, events: 205, percent: 20.5 });
    expect(poor.baseline).toEqual({ streams: 2500, events: 200, percent: 8 });
    expect(poor.changePoints).toBeCloseTo(12.5, 10);
    expect(poor.z).toBeGreaterThan(3);
    const labels = poor.drivers.map((d) => d.label);
    // v2: 160 poor of 400, new, so against the scope's 8%: 160 − 32 = 128.
    expect(poor.drivers[0]).toMatchObject({
      rank: 1,
      dimensions: ['client-version'],
      values: ['v2'],
      baselineOf: 'scope',
      recent: { streams: 400, events: 160 },
    });
    expect(poor.drivers[0].impact).toBeCloseTo(128, 10);
    // The change of the scope: 205 − 1000 × 8% = 125 poor streams.
    expect(poor.drivers[0].shareOfChangePercent).toBeCloseTo((100 * 128) / 125, 10);
    // A: 145 of 800 against its own 5%: 105 more, but outside v2 it has 25 of 500 = its 5%: 0 more (under 40% of
    // 105), so v2 explains it. C likewise: 60 of 200 against 20% is 20 more, outside v2 20 of 100 = 20%.
    expect(labels).toEqual(['client-version v2']);
    expect(poor.explained.map((d) => [d.label, d.explainedBy])).toEqual([
      ['building A', 'client-version v2'],
      ['building C', 'client-version v2'],
    ]);
    expect(poor.explained[0].impact).toBeCloseTo(105, 10);
    expect(poor.explained[0].baselineOf).toBe('value');
    expect(poor.explained[1].impact).toBeCloseTo(20, 10);
    // v1 did no worse than before (45 of 600 against 8%): not a driver.
    expect(labels).not.toContain('client-version v1');
  });

  it('without a media-type filter compares each media type: the video regression shows, audio did not change', async () => {
    const audio = (n: number, k: number) => streams(n, k, { building: 'A', 'client-version': 'v1' });
    const a = await findChangesIn(
      windows([...recent, ...audio(1000, 50)], [...baseline, ...audio(4000, 200)]),
      { since, until, baselineSince, filters: {}, dimensions: dims },
    );
    expect(a.changes.map((c) => [c.metric, c.mediaType])).toEqual([['poor-percent', ['video']]]);
    expect(a.changes[0].label).toBe('poor video streams %');
    expect(a.changes[0].drivers[0]).toMatchObject({ values: ['v2'], recent: { streams: 400, events: 160 } });
    const audioRow = a.unchanged.find((c) => c.metric === 'poor-percent' && c.mediaType[0] === 'audio');
    expect(audioRow).toMatchObject({ worse: false, drivers: [], recent: { streams: 1000, events: 50 } });
    // Failures are counted on audio only, once.
    expect(a.unchanged.filter((c) => c.metric === 'setup-failure-percent').map((c) => c.mediaType)).toEqual([
      ['audio'],
    ]);
  });

  it('a change beyond noise but under the minimum absolute change is not a change', async () => {
    // 5.5% of 200,000 against 5% of 400,000: z ≈ 8.3, but half a point.
    const a = await findChangesIn(
      windows(
        streams(200_000, 11_000, { building: 'A' }, { users: 100 }),
        streams(400_000, 20_000, { building: 'A' }, { users: 100 }),
      ),
      { since, until, baselineSince, filters: {}, dimensions: dims },
    );
    expect(a.unchanged[0].z).toBeGreaterThan(3);
    expect(a.changes).toEqual([]);
    const b = await findChangesIn(
      windows(
        streams(200_000, 11_000, { building: 'A' }, { users: 100 }),
        streams(400_000, 20_000, { building: 'A' }, { users: 100 }),
      ),
      { since, until, baselineSince, filters: {}, dimensions: dims, thresholds: { minChangePoints: 0.4 } },
    );
    expect(b.changes).toHaveLength(1);
  });

  it('a setup failure rate that rose, explained by the building where calls now fail; drops as the QER counts them', async () => {
    const calls = (n: number, building: string, o: { setupFailed?: number; dropped?: number }) =>
      streams(n, 0, { building, 'client-version': 'v1' }, o);
    // Baseline: 10 of 2000 fail to set up in each building (0.5%). Recent: B fails 50 of 500, A 2 of 500.
    const a = await findChangesIn(
      windows(
        [...calls(500, 'A', { setupFailed: 2 }), ...calls(500, 'B', { setupFailed: 50 })],
        [...calls(2000, 'A', { setupFailed: 10 }), ...calls(2000, 'B', { setupFailed: 10 })],
      ),
      { since, until, baselineSince, filters: {}, dimensions: dims },
    );
    expect(a.changes.map((c) => c.metric)).toEqual(['setup-failure-percent']);
    const [setup] = a.changes;
    expect(setup.recent).toEqual({ streams: 1000, events: 52, percent: 5.2 });
    expect(setup.baseline).toEqual({ streams: 4000, events: 20, percent: 0.5 });
    // B: 50 of 500 against its own 0.5%: 47.5 more; A did as before (2 against 2.5): not a driver.
    expect(setup.drivers.map((d) => d.label)).toEqual(['building B']);
    expect(setup.drivers[0].impact).toBeCloseTo(47.5, 10);
    expect(setup.drivers[0].baselineOf).toBe('value');
    // Drops are counted of the streams that set up: none here, so not a change, its trials 948 of the recent 1000.
    const drop = a.unchanged.find((c) => c.metric === 'drop-failure-percent');
    expect(drop?.recent).toEqual({ streams: 948, events: 0, percent: 0 });
  });

  it('compares poor ratings only when a source of ratings is given, as a metric without values to blame', async () => {
    const ratings = async (w: { since: number; until: number }) =>
      w.since === since ? { n: 400, k: 80 } : { n: 2000, k: 100 };
    const a = await findChangesIn(
      windows(recent, baseline),
      { since, until, baselineSince, filters: { 'media-type': ['video'] }, dimensions: dims },
      ratings,
    );
    const rating = a.changes.find((c) => c.metric === 'poor-rating-percent');
    expect(rating).toMatchObject({ recent: { streams: 400, events: 80, percent: 20 }, drivers: [] });
    expect(rating?.changePoints).toBeCloseTo(15, 10);
    const none = await findChangesIn(windows(recent, baseline), {
      since,
      until,
      baselineSince,
      filters: { 'media-type': ['video'] },
      dimensions: dims,
    });
    expect([...none.changes, ...none.unchanged].map((c) => c.metric)).not.toContain('poor-rating-percent');
  });

  it('keeps a building that got worse on its own beside the client version, both standing', async () => {
    // Building D: 300 v1 streams, 3 poor before (1%), 60 poor now, no v2 there.
    const a = await findChangesIn(
      windows([...recent, ...video(300, 60, 'D', 'v1')], [...baseline, ...video(300, 3, 'D', 'v1')]),
      { since, until, baselineSince, filters: { 'media-type': ['video'] }, dimensions: dims },
    );
    const labels = a.changes[0].drivers.map((d) => d.label);
    expect(labels.slice(0, 2)).toEqual(['client-version v2', 'building D']);
    expect(a.changes[0].drivers[1].impact).toBeCloseTo(60 - 3, 10);
  });

  it('a city holding just the one building that got worse is that building, listed once', async () => {
    // Building D is the only building of Dtown: the same streams under two names.
    const at = (count: number, poor: number, building: string, city: string) =>
      streams(count, poor, { 'media-type': 'video', building, city, 'client-version': 'v1' });
    const before = [
      ...at(2000, 100, 'A', 'Atown'),
      ...at(1000, 50, 'B', 'Atown'),
      ...at(300, 3, 'D', 'Dtown'),
    ];
    const now = [...at(2000, 100, 'A', 'Atown'), ...at(1000, 50, 'B', 'Atown'), ...at(300, 60, 'D', 'Dtown')];
    const a = await findChangesIn(windows(now, before), {
      since,
      until,
      baselineSince,
      filters: { 'media-type': ['video'] },
      dimensions: ['building', 'city'],
    });
    expect(a.changes[0].drivers.map((d) => d.label)).toEqual(['building D']);
    expect(a.changes[0].explained.map((d) => [d.label, d.explainedBy])).toEqual([
      ['city Dtown', 'building D'],
    ]);
  });
});
