// End to end: a seeded Graph twin's records pulled through the real ingest pipeline, its building file imported,
// and the causes it planted (bad building, Wi-Fi 2.4 GHz, VPN, bad client version, missing subnet) found on top
// of the matching reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../store/test-stores.ts';
import { getQualityTargets } from './get-quality-targets.ts';
import { getReliability } from './get-reliability.ts';
import { listFailedStreams } from './list-failed-streams.ts';
import { listMissingSubnets } from './list-missing-subnets.ts';
import { listWorstBuildings } from './list-worst-buildings.ts';
import { listWorstClientVersions } from './list-worst-client-versions.ts';
import { queryQuality } from './query-quality.ts';
import { type TwinStore, twinStore } from './test-twin-store.ts';

const [database] = await testDatabases();

describe('planted causes on top of the reports (twin → ingest → rollups)', () => {
  let ts: TwinStore;

  beforeAll(async () => {
    ts = await twinStore(database, { seed: 7, users: 120, days: 8 });
  }, 600_000);

  afterAll(async () => ts?.dispose());

  const cause = (kind: string) => {
    const c = ts.causes.find((x) => x.kind === kind);
    if (!c) throw new Error(`the twin planted no ${kind} cause`);
    return c;
  };

  it('ingested a realistic amount of traffic', () => {
    expect(ts.records).toBeGreaterThan(200);
  });

  it('the bad building tops the worst buildings', async () => {
    const [top] = await listWorstBuildings(ts.db, { minClassifiedStreams: 30 });
    expect(top.building).toBe(cause('building').value);
  });

  it('the bad client version tops the worst client versions', async () => {
    const [top] = await listWorstClientVersions(ts.db, { minClassifiedStreams: 30 });
    expect(top.clientVersion).toBe(cause('clientVersion').value);
  });

  it('Wi-Fi 2.4 GHz tops the Wi-Fi bands', async () => {
    const rows = await queryQuality(ts.db, {
      by: ['wifi-band'],
      filters: { 'media-type': ['audio'], 'network-type': ['wifi'] },
      measures: ['classifiedStreams', 'poorPercent'],
      orderBy: [{ key: 'poorPercent', direction: 'desc' }],
      minClassifiedStreams: 30,
    });
    expect(rows[0].wifiBand).toBe(cause('wifiBand').value);
  });

  it('VPN tops the VPN split, with the longer round trips', async () => {
    const rows = await queryQuality(ts.db, {
      by: ['vpn'],
      filters: { 'media-type': ['audio'] },
      measures: ['classifiedStreams', 'poorPercent', 'avgRoundTripMs'],
      orderBy: [{ key: 'poorPercent', direction: 'desc' }],
    });
    expect(rows[0].vpn).toBe('true');
    expect(Number(rows[0].avgRoundTripMs)).toBeGreaterThan(Number(rows[1].avgRoundTripMs));
  });

  it('the unlisted office subnet tops the missing-subnet report, with its likely building', async () => {
    const [top] = await listMissingSubnets(ts.db);
    expect(top.subnet).toBe(cause('missingSubnet').value);
    expect(top.suggestedBuilding).toBe('Seattle HQ');
  });

  it('reliability: setup failures placed on buildings and network types, declines apart, QER internal from inside', async () => {
    const r = await getReliability(ts.db);
    const a = r.attribution;
    expect(a.failedStreams).toBeGreaterThan(5);
    expect(a.inferred).toBeGreaterThan(0);
    // The share left unknown is reported, and it is not "all".
    expect(a.unknownPercent).not.toBeNull();
    expect(a.unknown).toBeLessThan(a.failedStreams / 2);
    const placedIn = (rows: typeof r.byBuilding, key: string) =>
      rows.filter((x) => x[key] !== null && Number(x.setupFailedStreams) > 0).length;
    expect(placedIn(r.byBuilding, 'building')).toBeGreaterThan(0);
    expect(placedIn(r.byNetworkType, 'networkType')).toBeGreaterThan(1);
    expect(r.reasons.some((x) => x.reasonClass === 'declined')).toBe(false);
    expect(r.outcomes.find((x) => x.reason === 'RemoteEndpointDeclined')?.sessions).toBeGreaterThan(0);
    const failed = await listFailedStreams(ts.db, {});
    const inside = failed.filter(
      (f) => f.stage === 'callSetup' && f.placed.media_type === 'audio' && f.placed.inside_corp === 'true',
    );
    const internal = (await getQualityTargets(ts.db)).find((t) => t.id === 'internal');
    expect(inside.length).toBeGreaterThan(0);
    expect(internal?.measured.setupFailurePercent).toBeCloseTo(
      (inside.length / Number(internal?.streams)) * 100,
      9,
    );
  });
});
