// The dashboard's queries (overview, worst lists, missing subnets, reliability, feedback, QER targets, users,
// PSTN) against brute-force counts over the raw rows, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectRoutingLogRow, PstnCallLogRow } from '../graph/types.ts';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { upsertDirectRoutingCalls, upsertPstnCalls } from '../store/pstn-logs.ts';
import { storeFromDb } from '../store/store.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from '../store/test-call-records.ts';
import { testDatabases } from '../store/test-stores.ts';
import { getFeedbackSummary } from './get-feedback-summary.ts';
import { getOverview } from './get-overview.ts';
import { getPstnSummary } from './get-pstn-summary.ts';
import { getQualityTargets } from './get-quality-targets.ts';
import { getReliability } from './get-reliability.ts';
import { listMissingSubnets } from './list-missing-subnets.ts';
import { listUserQuality } from './list-user-quality.ts';
import { listWorstBuildings } from './list-worst-buildings.ts';
import { listWorstClientVersions } from './list-worst-client-versions.ts';
import { listWorstSubnets } from './list-worst-subnets.ts';
import { type BruteStream, bruteStreams, placeFailures } from './test-brute-force.ts';

const start = Date.UTC(2024, 4, 1);
const audio = (s: BruteStream) => s.dims.media_type === 'audio';
const poorPct = (xs: BruteStream[]) => {
  const c = xs.filter((s) => s.quality !== 'unclassified');
  return c.length ? (c.filter((s) => s.quality === 'poor').length / c.length) * 100 : null;
};

for (const database of await testDatabases()) {
  describe(`dashboard queries (${database.name})`, () => {
    let opened: Awaited<ReturnType<typeof database.open>>;
    let streams: BruteStream[];
    beforeAll(async () => {
      opened = await database.open();
      const store = await storeFromDb(opened.db, opened.url);
      await replaceBuildings(opened.db, parseBuildingFile(testBuildingsCsv).buildings);
      for (const json of testCallRecords({ seed: 21, calls: 120, users: testUsers(8, 40), start, days: 7 })) {
        const { rows } = rowsFromJson(json, { source: 't', receivedAt: start });
        await store.records.save({ json, rows, source: 't', receivedAt: start }, prepareAgain);
      }
      streams = await bruteStreams(opened.db);
    });
    afterAll(async () => opened?.dispose());

    it('overview: totals, days and network types', async () => {
      const o = await getOverview(opened.db);
      expect(o.totals.streams).toBe(streams.length);
      expect(o.totals.calls).toBe(new Set(streams.map((s) => s.callId)).size);
      expect(o.totals.audioPoorPercent).toBeCloseTo(poorPct(streams.filter(audio)) as number, 9);
      expect(o.byDay.map((d) => d.day)).toEqual(
        [...new Set(streams.map((s) => new Date(s.day).toISOString().slice(0, 10)))].sort(),
      );
      expect(o.byDay.reduce((a, d) => a + Number(d.streams), 0)).toBe(streams.length);
      const wifi = o.byNetworkType.find((r) => r.networkType === 'wifi');
      expect(wifi?.poorPercent).toBeCloseTo(
        poorPct(streams.filter((s) => audio(s) && s.dims.network_type === 'wifi')) as number,
        9,
      );
    });

    it('worst buildings, subnets and client versions: worst first, known only, with calls', async () => {
      const buildings = await listWorstBuildings(opened.db, { minClassifiedStreams: 5 });
      expect(buildings.length).toBeGreaterThanOrEqual(2);
      expect(buildings.every((b) => b.building !== null)).toBe(true);
      for (let i = 1; i < buildings.length; i++)
        expect(Number(buildings[i - 1].poorPercent)).toBeGreaterThanOrEqual(Number(buildings[i].poorPercent));
      const alpha = buildings.find((b) => b.building === 'Alpha');
      const alphaStreams = streams.filter((s) => audio(s) && s.dims.building === 'Alpha');
      expect(alpha).toMatchObject({ city: 'Vienna', country: 'AT', streams: alphaStreams.length });
      expect(alpha?.calls).toBe(new Set(alphaStreams.map((s) => s.callId)).size);
      const subnets = await listWorstSubnets(opened.db, { minClassifiedStreams: 5 });
      expect(subnets.some((s) => s.subnet === '10.2.7.0' && s.building === null)).toBe(true);
      const versions = await listWorstClientVersions(opened.db, { minClassifiedStreams: 5, limit: 2 });
      expect(versions).toHaveLength(2);
      expect(versions[0]).toHaveProperty('productFamily');
    });

    it('missing subnets: 10+ audio streams and no building', async () => {
      const missing = await listMissingSubnets(opened.db);
      const expected = new Map<string, number>();
      for (const s of streams)
        if (audio(s) && s.dims.building === '' && s.dims.subnet !== '')
          expected.set(s.dims.subnet, (expected.get(s.dims.subnet) ?? 0) + 1);
      const want = [...expected].filter(([, n]) => n >= 10).map(([subnet, n]) => ({ subnet, streams: n }));
      expect(
        missing
          .map((m) => ({ subnet: m.subnet, streams: m.streams }))
          .sort((a, b) => String(a.subnet).localeCompare(String(b.subnet))),
      ).toEqual(want.sort((a, b) => a.subnet.localeCompare(b.subnet)));
      expect(missing.map((m) => m.subnet)).toContain('10.2.7.0');
      expect(missing.some((m) => String(m.subnet).startsWith('10.9.'))).toBe(false);
    });

    it('reliability: setup and drop failure rates, failures placed on their network, outcomes apart', async () => {
      const r = await getReliability(opened.db);
      const a = streams.filter(audio);
      const setup = a.filter((s) => s.setupFailed).length;
      expect(setup).toBeGreaterThan(0);
      expect(r.totals.setupFailurePercent).toBeCloseTo((setup / a.length) * 100, 9);
      expect(r.totals.dropFailurePercent).toBeCloseTo(
        (a.filter((s) => s.dropped).length / (a.length - setup)) * 100,
        9,
      );
      // Declines are outcomes: counted apart, never as failures.
      expect(r.reasons.map((x) => x.stage).sort()).toEqual(['callSetup', 'midcall']);
      expect(r.reasons.some((x) => x.reason === 'RemoteEndpointDeclined')).toBe(false);
      const declined = await opened.db.all(
        "SELECT 1 FROM call_segments WHERE failure_reason = 'RemoteEndpointDeclined'",
      );
      expect(declined.length).toBeGreaterThan(0);
      expect(r.outcomes).toEqual([
        expect.objectContaining({
          reason: 'RemoteEndpointDeclined',
          reasonClass: 'declined',
          sessions: declined.length,
        }),
      ]);
      // Reasons are counted in failed streams, the rates' unit.
      expect(r.reasons.filter((x) => x.stage === 'callSetup').reduce((n, x) => n + x.count, 0)).toBe(setup);
      // Each failure counts where its network is: its own, else the same user's nearest session's within 4 h.
      const placed = placeFailures(streams, 4 * 3_600_000).filter(audio);
      const inferred = placed.filter((s) => s.inferred).length;
      expect(inferred).toBeGreaterThan(0);
      expect(r.attribution.inferred).toBe(inferred);
      const lost = placed.filter(
        (s) => (s.setupFailed || s.dropped) && !s.inferred && s.dims.network_type === '',
      );
      expect(r.attribution.unknown).toBe(lost.length);
      expect(r.attribution.unknown).toBeLessThan(r.attribution.failedStreams);
      // Setups that failed with the client's network in the record keep it (not inferred).
      const own = placed.filter((s) => s.setupFailed && !s.inferred && s.dims.network_type !== '').length;
      expect(own).toBeGreaterThan(0);
      expect(r.attribution.fromRecord).toBe(
        placed.filter((s) => (s.setupFailed || s.dropped) && !s.inferred && s.dims.network_type !== '')
          .length,
      );
      for (const b of r.byBuilding) {
        const mine = placed.filter((s) => s.dims.building === (b.building ?? ''));
        expect(b.streams).toBe(mine.length);
        expect(b.setupFailedStreams).toBe(mine.filter((s) => s.setupFailed).length);
      }
      const wired = placed.filter((s) => s.dims.network_type === 'wired');
      expect(r.byNetworkType.find((x) => x.networkType === 'wired')?.setupFailedStreams).toBe(
        wired.filter((s) => s.setupFailed).length,
      );
      expect(r.byClientVersion.reduce((n, x) => n + Number(x.streams), 0)).toBe(a.length);
    });

    it('Rate My Call: ratings, tokens and quality', async () => {
      const f = await getFeedbackSummary(opened.db);
      const rated = await opened.db.all<{ feedback_rating: string; feedback_tokens: string | null }>(
        'SELECT feedback_rating, feedback_tokens FROM call_endpoints WHERE segment_idx = -1 AND feedback_rating IS NOT NULL',
      );
      expect(f.responses).toBe(rated.length);
      expect(f.ratings.reduce((a, r) => a + r.count, 0)).toBe(rated.length);
      const echo = rated.filter(
        (r) => r.feedback_tokens && JSON.parse(r.feedback_tokens).Echo === true,
      ).length;
      expect(f.tokens.find((t) => t.token === 'Echo')?.count ?? 0).toBe(echo);
      expect(f.tokens.find((t) => t.token === 'Stopped')).toBeUndefined();
      expect(f.averageRating).toBeGreaterThan(1);
    });

    it('QER targets beside measured rates', async () => {
      const t = await getQualityTargets(opened.db);
      expect(t.map((x) => x.id)).toEqual([
        'overall',
        'internal',
        'conferencing-wired-or-5ghz-internal',
        'conferencing-wifi-2.4ghz-internal',
      ]);
      expect(t[0].target).toEqual({ poorPercent: 3, setupFailurePercent: 1, dropFailurePercent: 3 });
      expect(t[0].measured.poorPercent).toBeCloseTo(poorPct(streams.filter(audio)) as number, 9);
      expect(t[0].meets.poorPercent).toBe(false);
      // Failures count in the scope their (possibly inferred) network puts them in.
      const placed = placeFailures(streams, 4 * 3_600_000);
      const internal = placed.filter((s) => audio(s) && s.dims.inside_corp === 'true');
      expect(t[1].streams).toBe(internal.length);
      const internalSetup = internal.filter((s) => s.setupFailed).length;
      expect(internalSetup).toBeGreaterThan(0);
      expect(t[1].measured.setupFailurePercent).toBeCloseTo((internalSetup / internal.length) * 100, 9);
      const conf = internal.filter(
        (s) =>
          s.dims.call_type === 'groupCall' &&
          (s.dims.network_type === 'wired' ||
            (s.dims.network_type === 'wifi' && s.dims.wifi_band === 'frequency50GHz')),
      );
      expect(t[2].streams).toBe(conf.length);
    });

    it('per-user quality with display names', async () => {
      const users = await listUserQuality(opened.db, { limit: 5 });
      expect(users).toHaveLength(5);
      expect(users[0].displayName).toMatch(/^User \d+$/);
      const mine = streams.filter((s) => audio(s) && s.dims.user_id === users[0].user);
      expect(users[0].streams).toBe(mine.length);
      expect(users[0].calls).toBe(new Set(mine.map((s) => s.callId)).size);
    });

    it('PSTN and Direct Routing usage and failures', async () => {
      const t = (m: number) => new Date(start + m * 60_000).toISOString();
      await upsertPstnCalls(
        opened.db,
        [
          {
            id: 'p1',
            startDateTime: t(1),
            endDateTime: t(3),
            duration: 120,
            callType: 'user_out',
            charge: 0.5,
            currency: 'EUR',
          },
          {
            id: 'p2',
            startDateTime: t(1500),
            endDateTime: t(1501),
            duration: 60,
            callType: 'user_in',
            charge: 0,
            currency: 'EUR',
          },
        ] as PstnCallLogRow[],
        start,
      );
      await upsertDirectRoutingCalls(
        opened.db,
        [
          {
            id: 'd1',
            startDateTime: t(5),
            duration: 30,
            successfulCall: true,
            finalSipCode: 0,
            trunkFullyQualifiedDomainName: 'sbc1',
          },
          {
            id: 'd2',
            startDateTime: t(6),
            duration: 0,
            successfulCall: false,
            finalSipCode: 487,
            finalSipCodePhrase: 'Request terminated',
            trunkFullyQualifiedDomainName: 'sbc1',
          },
          {
            id: 'd3',
            startDateTime: t(7),
            duration: 0,
            successfulCall: false,
            finalSipCode: 487,
            trunkFullyQualifiedDomainName: 'sbc2',
          },
        ] as DirectRoutingLogRow[],
        start,
      );
      const s = await getPstnSummary(opened.db);
      expect(s.pstn).toMatchObject({ calls: 2, minutes: 3, charges: [{ currency: 'EUR', amount: 0.5 }] });
      expect(s.pstn.byDay.map((d) => d.day)).toEqual(['2024-05-01', '2024-05-02']);
      // 487 (the caller hung up while it rang) is an effective attempt: not a failure of the SBC.
      expect(s.directRouting.totals).toMatchObject({
        calls: 3,
        answered: 1,
        effective: 3,
        failed: 0,
        nerPercent: 100,
      });
      expect(s.directRouting.endings.map((e) => [e.trunk, e.sipCode, e.kind, e.calls])).toEqual([
        ['sbc1', 487, 'cancelled', 1],
        ['sbc2', 487, 'cancelled', 1],
      ]);
      expect((await getPstnSummary(opened.db, { since: start + 86_400_000 })).pstn.calls).toBe(1);
    });
  });
}
