// The query engine against a brute-force computation over the raw rows, on both databases; plus its errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { jitterEdgesMs } from '../store/rollup-grains.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from '../store/test-call-records.ts';
import { testDatabases } from '../store/test-stores.ts';
import type { Dimension, Measure, QualityQuery } from './quality-query.ts';
import { splitWeeks } from './quality-sources.ts';
import { dimensionColumn, explainQuality, p90FromHistogram, queryQuality } from './query-quality.ts';
import { type BruteStream, bruteStreams } from './test-brute-force.ts';

const start = Date.UTC(2024, 4, 1);
const DAY = 86_400_000;

async function save(store: Store, json: Record<string, unknown>): Promise<void> {
  const { rows } = rowsFromJson(json, { source: 'test', receivedAt: start });
  await store.records.save({ json, rows, source: 'test', receivedAt: start }, prepareAgain);
}

const allMeasures: Measure[] = [
  'streams',
  'classifiedStreams',
  'unclassifiedStreams',
  'poorStreams',
  'poorPercent',
  'poorDueToJitter',
  'poorDueToPacketLoss',
  'avgJitterMs',
  'p90JitterMs',
  'avgPacketLoss',
  'avgRoundTripMs',
  'avgConcealedRatio',
  'streamMinutes',
  'setupFailedStreams',
  'droppedStreams',
  'setupFailurePercent',
  'dropFailurePercent',
  'calls',
  'minutes',
  'users',
];

function dimValue(s: BruteStream, d: Dimension): string | null {
  if (d === 'day') return new Date(s.day).toISOString().slice(0, 10);
  if (d === 'hour') return `${new Date(s.hour).toISOString().slice(0, 13)}:00Z`;
  const v = s.dims[dimensionColumn[d]];
  return v === '' ? null : v;
}

const avg = (xs: (number | null)[]) => {
  const k = xs.filter((x): x is number => x !== null);
  return k.length ? k.reduce((a, b) => a + b, 0) / k.length : null;
};

/** The expected rows of a query, computed stream by stream. */
function brute(streams: BruteStream[], q: QualityQuery): Map<string, Record<string, number | null>> {
  // A window keeps exactly the hour buckets it touches, whether grouped by day, by hour or not by time at all.
  const unit = 3_600_000;
  const kept = streams.filter((s) => {
    const t = s.hour;
    if (q.since !== undefined && t < Math.floor(q.since / unit) * unit) return false;
    if (q.until !== undefined && t > Math.floor((q.until - 1) / unit) * unit) return false;
    return Object.entries(q.filters).every(([d, values]) =>
      (values as string[]).includes(dimValue(s, d as Dimension) ?? ''),
    );
  });
  const groups = new Map<string, BruteStream[]>();
  for (const s of kept) {
    const key = JSON.stringify(q.by.map((d) => dimValue(s, d)));
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out = new Map<string, Record<string, number | null>>();
  for (const [key, g] of groups) {
    const classified = g.filter((s) => s.quality !== 'unclassified').length;
    const poor = g.filter((s) => s.quality === 'poor').length;
    const setup = g.filter((s) => s.setupFailed).length;
    const callMs = new Map(g.map((s) => [s.callId, s.callMs]));
    // p90 the way the histogram reads it: bucket counts, then linear within the bucket.
    const buckets = jitterEdgesMs.map(() => 0);
    for (const s of g)
      if (s.jitterMs !== null) {
        let i = jitterEdgesMs.length - 1;
        while (i > 0 && Math.round(s.jitterMs * 1000) / 1000 < jitterEdgesMs[i]) i--;
        buckets[i]++;
      }
    out.set(key, {
      streams: g.length,
      classifiedStreams: classified,
      unclassifiedStreams: g.length - classified,
      poorStreams: poor,
      poorPercent: classified ? (poor / classified) * 100 : null,
      poorDueToJitter: g.filter((s) => s.reasons.includes('jitter')).length,
      poorDueToPacketLoss: g.filter((s) => s.reasons.includes('packetLoss')).length,
      avgJitterMs: avg(g.map((s) => s.jitterMs)),
      p90JitterMs: p90FromHistogram(buckets),
      avgPacketLoss: avg(g.map((s) => s.loss)),
      avgRoundTripMs: avg(g.map((s) => s.rttMs)),
      avgConcealedRatio: avg(g.map((s) => s.concealed)),
      streamMinutes: g.reduce((a, s) => a + s.streamMs, 0) / 60_000,
      setupFailedStreams: setup,
      droppedStreams: g.filter((s) => s.dropped).length,
      setupFailurePercent: (setup / g.length) * 100,
      dropFailurePercent:
        g.length - setup ? (g.filter((s) => s.dropped).length / (g.length - setup)) * 100 : null,
      calls: callMs.size,
      minutes: [...callMs.values()].reduce((a, b) => a + b, 0) / 60_000,
      users: new Set(g.map((s) => s.dims.user_id).filter((u) => u !== '')).size,
    });
  }
  return out;
}

const queries: QualityQuery[] = [
  { by: [], filters: {} },
  { by: ['building', 'network-type'], filters: {} },
  { by: ['day'], filters: { 'media-type': ['audio'] } },
  { by: ['building'], filters: { 'media-type': ['audio'] } },
  { by: ['media-type', 'direction'], filters: {} },
  { by: ['user'], filters: { 'media-type': ['audio'] } },
  { by: ['building', 'client-version'], filters: {} },
  { by: ['hour'], filters: {}, since: start + 26 * 3_600_000, until: start + 50 * 3_600_000 },
  { by: ['capture-device', 'network-type'], filters: {} },
  { by: ['day'], filters: { building: ['Alpha', 'Beta'] } },
  { by: ['subnet'], filters: { building: [''], 'media-type': ['audio'] } },
  { by: ['vpn', 'inside-corp'], filters: {} },
  { by: ['platform'], filters: { 'media-type': ['audio', 'video'] }, since: start + 86_400_000 },
  { by: ['city', 'country', 'wifi-band'], filters: { 'call-type': ['groupCall'] } },
  { by: ['render-device', 'product-family'], filters: {}, until: start + 3 * 86_400_000 },
  // Long ranges: whole weeks from the week twins, edge days from the day grains.
  {
    by: ['subnet'],
    filters: { 'media-type': ['audio'] },
    since: start + 2.5 * DAY,
    until: start + 20.3 * DAY,
  },
  { by: ['user'], filters: {} },
  { by: ['capture-device'], filters: {}, until: start + 15 * DAY },
  { by: ['subnet', 'building'], filters: {}, since: start + 5 * DAY },
  {
    by: ['user', 'direction'],
    filters: { 'media-type': ['audio'] },
    since: start + 12 * DAY,
    until: start + 19 * DAY,
  },
];

for (const database of await testDatabases()) {
  describe(`queryQuality (${database.name})`, () => {
    let opened: Awaited<ReturnType<typeof database.open>>;
    let streams: BruteStream[];
    beforeAll(async () => {
      opened = await database.open();
      const store = await storeFromDb(opened.db, opened.url);
      await replaceBuildings(opened.db, parseBuildingFile(testBuildingsCsv).buildings);
      const users = testUsers(5, 40);
      for (const json of testCallRecords({ seed: 11, calls: 70, users, start, days: 6 }))
        await save(store, json);
      streams = await bruteStreams(opened.db);
    });
    afterAll(async () => opened?.dispose());

    it.each(queries.map((q) => [JSON.stringify(q), q] as const))(
      '%s matches a brute-force count',
      async (_, q) => {
        const rows = await queryQuality(opened.db, { ...q, measures: allMeasures });
        const expected = brute(streams, q);
        // The per-stream facts give the same answer as the rollups.
        expect(await queryQuality(opened.db, { ...q, measures: allMeasures }, { factsOnly: true })).toEqual(
          rows,
        );
        expect(rows.length).toBe(expected.size);
        for (const row of rows) {
          const key = JSON.stringify(
            q.by.map((d) => row[d.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] ?? null),
          );
          const want = expected.get(key);
          expect(want, key).toBeDefined();
          for (const m of allMeasures) {
            const got = row[m];
            const w = want?.[m];
            if (w === null || w === undefined) expect(got, `${key} ${m}`).toBeNull();
            else expect(got as number, `${key} ${m}`).toBeCloseTo(w, 6);
          }
        }
      },
    );

    it('reads whole weeks of a long range from the week rollups', () => {
      const sources = (q: QualityQuery) => explainQuality(q).map((p) => p.source);
      expect(
        sources({
          by: ['subnet'],
          filters: {},
          since: start + 2.5 * DAY,
          until: start + 20.3 * DAY,
          measures: ['streams'],
        }),
      ).toEqual(['rollup_subnet_week', 'rollup_subnet', 'rollup_subnet', 'stream_facts', 'stream_facts']);
      expect(
        sources({ by: ['subnet'], filters: {}, since: start, until: start + 3 * DAY, measures: ['streams'] }),
      ).toEqual(['rollup_subnet']);
      expect(sources({ by: ['subnet', 'day'], filters: {}, measures: ['streams'] })).toEqual([
        'rollup_subnet',
      ]);
    });

    it('reads dashboard-shaped questions from rollups, not from the stream facts', () => {
      const rollupOnly = (q: QualityQuery) => explainQuality(q).every((p) => p.rollup);
      expect(
        rollupOnly({ by: ['day'], filters: {}, measures: ['streams', 'poorPercent', 'calls', 'minutes'] }),
      ).toBe(true);
      expect(
        rollupOnly({
          by: ['network-type'],
          filters: { 'media-type': ['audio'] },
          measures: ['poorPercent', 'calls'],
        }),
      ).toBe(true);
      expect(
        rollupOnly({
          by: ['building'],
          filters: { 'media-type': ['audio'] },
          measures: ['poorPercent', 'calls'],
        }),
      ).toBe(true);
      expect(rollupOnly({ by: ['subnet'], filters: { building: [''] }, measures: ['streams'] })).toBe(true);
      expect(rollupOnly({ by: ['client-version'], filters: {}, measures: ['poorPercent', 'users'] })).toBe(
        false,
      );
      expect(rollupOnly({ by: ['user'], filters: {}, measures: ['poorPercent', 'calls', 'users'] })).toBe(
        true,
      );
    });

    it('orders, limits and leaves out small groups', async () => {
      const all = await queryQuality(opened.db, {
        by: ['user'],
        filters: {},
        measures: ['streams', 'poorPercent'],
      });
      const top = await queryQuality(opened.db, {
        by: ['user'],
        filters: {},
        measures: ['streams'],
        orderBy: [{ key: 'poorPercent', direction: 'desc' }],
        limit: 3,
        minClassifiedStreams: 5,
      });
      expect(top).toHaveLength(3);
      expect(Object.keys(top[0]).sort()).toEqual(['streams', 'user']);
      const ranked = all
        .filter((r) => r.poorPercent !== null)
        .sort((a, b) => (b.poorPercent as number) - (a.poorPercent as number));
      expect(ranked[0].poorPercent).toBeGreaterThanOrEqual(ranked[ranked.length - 1].poorPercent as number);
    });
  });
}

describe('queryQuality input checks', () => {
  const db = {} as never;
  it('names the valid choices for an unknown dimension or measure', async () => {
    await expect(queryQuality(db, { by: ['floor' as Dimension], filters: {} })).rejects.toThrow(
      /unknown dimension "floor"/,
    );
    await expect(
      queryQuality(db, { by: [], measures: ['mos' as Measure], filters: {} }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      hint: expect.stringContaining('poorPercent'),
    });
    await expect(queryQuality(db, { by: [], filters: { day: ['May 1'] } })).rejects.toThrow(/bad day/);
    await expect(queryQuality(db, { by: [], filters: {}, since: 10, until: 5 })).rejects.toThrow(
      /since must be before until/,
    );
  });
});

describe('threshold values in poor counts', () => {
  it('counts a value exactly at a CQD threshold as good and one just above as poor', async () => {
    const [database] = await testDatabases();
    const { db, url, dispose } = await database.open();
    try {
      const store = await storeFromDb(db, url);
      const [json] = testCallRecords({ seed: 1, calls: 1, users: testUsers(1, 2), start, days: 1 });
      const at = (extra: Record<string, unknown>) => ({
        streamDirection: 'callerToCallee',
        averageJitter: 'PT0.01S',
        averageRoundTripTime: 'PT0.1S',
        averagePacketLossRate: 0.01,
        packetUtilization: 5000,
        ...extra,
      });
      const session = (json.sessions as Record<string, unknown>[])[0];
      const segment = (session.segments as Record<string, unknown>[])[0];
      delete session.failureInfo;
      delete segment.failureInfo;
      segment.media = [
        {
          label: 'main-audio',
          streams: [
            at({ averageJitter: 'PT0.03S' }),
            at({ averageJitter: 'PT0.030001S' }),
            at({ averagePacketLossRate: 0.1 }),
            at({ averageRoundTripTime: 'PT0.5S' }),
            at({ averageRoundTripTime: 'PT0.501S', averagePacketLossRate: 0.11 }),
            at({ packetUtilization: 999, averageJitter: 'PT0.2S' }),
            { streamDirection: 'calleeToCaller' },
          ],
        },
      ];
      session.segments = [segment];
      json.sessions = [session];
      await save(store, json);
      const [row] = await queryQuality(db, {
        by: [],
        filters: { 'media-type': ['audio'] },
        measures: [
          'streams',
          'classifiedStreams',
          'poorStreams',
          'poorDueToJitter',
          'poorDueToRoundTrip',
          'poorDueToPacketLoss',
        ],
      });
      expect(row).toEqual({
        streams: 7,
        classifiedStreams: 5,
        poorStreams: 2,
        poorDueToJitter: 1,
        poorDueToRoundTrip: 1,
        poorDueToPacketLoss: 1,
      });
    } finally {
      await dispose();
    }
  });
});

describe('splitWeeks', () => {
  const DAY = 86_400_000;
  const monday = Date.UTC(2024, 4, 6);
  it('keeps whole ISO weeks (keyed by their Sunday) and the edge days', () => {
    expect(splitWeeks(monday - 2 * DAY, monday + 16 * DAY)).toEqual({
      weeks: { from: monday + 6 * DAY, to: monday + 13 * DAY },
      edges: [
        { from: monday - 2 * DAY, to: monday - DAY },
        { from: monday + 14 * DAY, to: monday + 16 * DAY },
      ],
    });
    expect(splitWeeks(monday, monday + 6 * DAY)).toEqual({
      weeks: { from: monday + 6 * DAY, to: monday + 6 * DAY },
      edges: [],
    });
    expect(splitWeeks(monday + DAY, monday + 10 * DAY)).toBeUndefined();
    expect(splitWeeks(undefined, undefined)).toEqual({ weeks: {}, edges: [] });
    expect(splitWeeks(monday + DAY, undefined)).toEqual({
      weeks: { from: monday + 13 * DAY },
      edges: [{ from: monday + DAY, to: monday + 6 * DAY }],
    });
  });
});
