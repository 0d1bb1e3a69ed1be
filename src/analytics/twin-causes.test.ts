// End to end: a seeded Graph twin's records pulled through the real ingest pipeline, its building file imported,
// and the causes it planted (bad building, Wi-Fi 2.4 GHz, VPN, bad client version, missing subnet) found on top
// of the matching reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { graphClient, noThrottle } from '../twin/test-client.ts';
import { createTwin, type Twin } from '../twin/twin.ts';
import { getQualityTargets } from './get-quality-targets.ts';
import { getReliability } from './get-reliability.ts';
import { listFailedStreams } from './list-failed-streams.ts';
import { listMissingSubnets } from './list-missing-subnets.ts';
import { listWorstBuildings } from './list-worst-buildings.ts';
import { listWorstClientVersions } from './list-worst-client-versions.ts';
import { queryQuality } from './query-quality.ts';

interface Cause {
  kind: string;
  dimension: string;
  value: string;
}

const [database] = await testDatabases();

describe('planted causes on top of the reports (twin → ingest → rollups)', () => {
  let twin: Twin;
  let opened: Awaited<ReturnType<typeof database.open>>;
  let causes: Cause[];
  let records = 0;

  beforeAll(async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
    twin = createTwin({ seed: 7, users: 120, days: 8, clock, throttle: noThrottle });
    opened = await database.open();
    const store = await storeFromDb(opened.db, opened.url);
    const graph = await graphClient(twin);
    const list = await graph.all<{ id: string }>('/communications/callRecords');
    for (const { id } of list) {
      const record = await graph.json<Record<string, unknown>>(
        `/communications/callRecords/${id}?$expand=sessions($expand=segments)`,
      );
      // Sessions beyond the first page come from their own next links.
      let next = record['sessions@odata.nextLink'] as string | undefined;
      const sessions = [...((record.sessions as unknown[]) ?? [])];
      while (next) {
        const page = await graph.json<{ value: unknown[]; '@odata.nextLink'?: string }>(next);
        sessions.push(...page.value);
        next = page['@odata.nextLink'];
      }
      record.sessions = sessions;
      delete record['sessions@odata.nextLink'];
      // The participants, as the collector fetches them (reliability finds a user's other sessions through them).
      const participants: unknown[] = [];
      let page: string | undefined = `/communications/callRecords/${id}/participants_v2`;
      while (page) {
        const got: { value: unknown[]; '@odata.nextLink'?: string } = await graph.json(page);
        participants.push(...got.value);
        page = got['@odata.nextLink'];
      }
      record.participants_v2 = participants;
      await ingestRecord(store, record, {
        source: 'twin',
        tenantId: twin.homeTenantId,
        receivedAt: clock.now(),
      });
      records++;
    }
    await store.buildings.replace(parseBuildingFile(twin.buildingsCsv()).buildings);
    const truth = (await (await twin.fetch(new Request('https://twin.test/_twin/truth'))).json()) as {
      causes: Cause[];
    };
    causes = truth.causes;
  }, 600_000);

  afterAll(async () => {
    twin?.stop();
    await opened?.dispose();
  });

  const cause = (kind: string) => {
    const c = causes.find((x) => x.kind === kind);
    if (!c) throw new Error(`the twin planted no ${kind} cause`);
    return c;
  };

  it('ingested a realistic amount of traffic', () => {
    expect(records).toBeGreaterThan(200);
  });

  it('the bad building tops the worst buildings', async () => {
    const [top] = await listWorstBuildings(opened.db, { minClassifiedStreams: 30 });
    expect(top.building).toBe(cause('building').value);
  });

  it('the bad client version tops the worst client versions', async () => {
    const [top] = await listWorstClientVersions(opened.db, { minClassifiedStreams: 30 });
    expect(top.clientVersion).toBe(cause('clientVersion').value);
  });

  it('Wi-Fi 2.4 GHz tops the Wi-Fi bands', async () => {
    const rows = await queryQuality(opened.db, {
      by: ['wifi-band'],
      filters: { 'media-type': ['audio'], 'network-type': ['wifi'] },
      measures: ['classifiedStreams', 'poorPercent'],
      orderBy: [{ key: 'poorPercent', direction: 'desc' }],
      minClassifiedStreams: 30,
    });
    expect(rows[0].wifiBand).toBe(cause('wifiBand').value);
  });

  it('VPN tops the VPN split, with the longer round trips', async () => {
    const rows = await queryQuality(opened.db, {
      by: ['vpn'],
      filters: { 'media-type': ['audio'] },
      measures: ['classifiedStreams', 'poorPercent', 'avgRoundTripMs'],
      orderBy: [{ key: 'poorPercent', direction: 'desc' }],
    });
    expect(rows[0].vpn).toBe('true');
    expect(Number(rows[0].avgRoundTripMs)).toBeGreaterThan(Number(rows[1].avgRoundTripMs));
  });

  it('the unlisted office subnet tops the missing-subnet report, with its likely building', async () => {
    const [top] = await listMissingSubnets(opened.db);
    expect(top.subnet).toBe(cause('missingSubnet').value);
    expect(top.suggestedBuilding).toBe('Seattle HQ');
  });

  it('reliability: setup failures placed on buildings and network types, declines apart, QER internal from inside', async () => {
    const r = await getReliability(opened.db);
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
    const failed = await listFailedStreams(opened.db, {});
    const inside = failed.filter(
      (f) => f.stage === 'callSetup' && f.placed.media_type === 'audio' && f.placed.inside_corp === 'true',
    );
    const internal = (await getQualityTargets(opened.db)).find((t) => t.id === 'internal');
    expect(inside.length).toBeGreaterThan(0);
    expect(internal?.measured.setupFailurePercent).toBeCloseTo(
      (inside.length / Number(internal?.streams)) * 100,
      9,
    );
  });
});
