// The rules' cause and change sources over calls ingested through the real pipeline, against counts taken from the
// generated records themselves: the bad place's subnet is the cause with all its poor streams as excess, the good
// ones are not blamed; a week of good calls then a day with a bad place is a change explained by that place.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseAccessPointFile } from '../quality/asset-files.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { attributeCauses, detectChanges, riseZ } from './query-insight.ts';
import { alertTestCalls, type TestPlace, testBuildingsFile } from './test-calls.ts';

const [sqlite] = await testDatabases();
const HOUR = 3_600_000;
const now = Date.UTC(2026, 0, 15, 12, 0);

const good: TestPlace = { name: 'Alpha', subnet: '10.1.0.0', connectionType: 'wired', weight: 3 };
const bad: TestPlace = { name: 'Beta', subnet: '10.1.2.0', connectionType: 'wired', bad: true };

/** Audio streams per subnet in the records, counted from the JSON (not through calltrove). */
function streamsBySubnet(records: Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) {
    const media = JSON.stringify(r).match(/"subnet":"([\d.]+)"/);
    const streams = (JSON.stringify(r).match(/"streamDirection"/g) ?? []).length;
    if (media) out.set(media[1], (out.get(media[1]) ?? 0) + streams);
  }
  return out;
}

describe('cause and change sources over the query engine', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const opened = await sqlite.open();
    store = await storeFromDb(opened.db, opened.url);
    dispose = opened.dispose;
    await store.buildings.replace(parseBuildingFile(testBuildingsFile).buildings);
  });
  afterEach(async () => dispose());

  const ingest = async (records: Record<string, unknown>[]) => {
    for (const r of records)
      await ingestRecord(store, r, { source: 'test', tenantId: 'tenant-1', receivedAt: now });
  };

  it('finds the bad subnet with all its poor streams beyond the rest, and blames nothing good', async () => {
    const records = alertTestCalls({
      seed: 11,
      places: [good, bad],
      start: now - 6 * HOUR,
      hours: 6,
      calls: 200,
    });
    await ingest(records);
    const counted = streamsBySubnet(records);
    const causes = await attributeCauses(store.reads, { since: now - 24 * HOUR, until: now });
    const subnet = causes.find((c) => c.parts[0].dimension === 'subnet');
    expect(subnet?.parts[0].value).toBe('10.1.2.0');
    // Every stream from the bad place is poor and none from the good one: the rest's rate is 0, so the excess is
    // all of its poor streams and its share is all of the organization's.
    expect(subnet?.poorStreams).toBe(counted.get('10.1.2.0'));
    expect(subnet?.excessPoorStreams).toBe(counted.get('10.1.2.0'));
    expect(subnet?.sharePercent).toBeCloseTo(100, 9);
    expect(subnet?.reasons).toEqual(expect.arrayContaining(['jitter', 'packet loss']));
    expect(causes.some((c) => c.parts.some((p) => p.value === '10.1.0.0'))).toBe(false);
    // Outside the window there is nothing to attribute.
    expect(await attributeCauses(store.reads, { since: now - 48 * HOUR, until: now - 24 * HOUR })).toEqual(
      [],
    );
  });

  it('names a bad access point, not its subnet, and a bad ISP, not the home subnets its clients share', async () => {
    const ap = (bssid: string, bad = false): TestPlace => ({
      name: bssid,
      subnet: '10.1.2.0',
      connectionType: 'wifi',
      bssid,
      bad,
    });
    const home = (subnet: string, dnsSuffix: string, bad = false): TestPlace => ({
      name: dnsSuffix,
      subnet,
      connectionType: 'wifi',
      dnsSuffix,
      bad,
    });
    // Recent calls: the store keeps a BSSID only within the EUII retention (28 days).
    const recent = Math.floor(Date.now() / HOUR) * HOUR;
    await ingest(
      alertTestCalls({
        seed: 14,
        places: [
          { ...good, weight: 2 },
          ap('00:1a:2b:00:00:01'),
          ap('00:1a:2b:00:00:02', true),
          home('192.168.1.0', 'dip0.t-ipconnect.de'),
          home('192.168.1.0', 'hsd1.wa.comcast.net', true),
          home('10.0.0.0', 'hsd1.ca.comcast.net', true),
        ],
        start: recent - 6 * HOUR,
        hours: 5,
        calls: 400,
      }),
    );
    const file =
      'BSSID,APName,BuildingName,Floor\n00:1a:2b:00:00:01,AP-1,Beta,1\n00:1a:2b:00:00:02,AP-2,Beta,2';
    await store.assets.replaceAccessPoints(parseAccessPointFile(file).accessPoints);
    const causes = await attributeCauses(store.reads, { since: recent - 24 * HOUR, until: recent });
    expect(causes.map((c) => `${c.parts[0].dimension}=${c.parts[0].value}`).sort()).toEqual([
      'access-point=AP-2',
      'isp=comcast.net',
    ]);
  });

  it('reports a poor rate worse than its baseline beyond noise, explained by the bad place', async () => {
    await ingest(
      alertTestCalls({ seed: 12, places: [good], start: now - 8 * 24 * HOUR, hours: 7 * 24, calls: 300 }),
    );
    const recent = { since: now - 24 * HOUR, until: now };
    const baseline = { since: recent.since - 7 * 24 * HOUR, until: recent.since };
    expect(await detectChanges(store.reads, { recent, baseline })).toEqual([]);
    await ingest(
      alertTestCalls({ seed: 13, places: [good, bad], start: now - 20 * HOUR, hours: 20, calls: 120 }),
    );
    const changes = await detectChanges(store.reads, { recent, baseline });
    const poor = changes.find((c) => c.metric === 'poorPercent');
    expect(poor?.baseline).toBe(0);
    expect(poor?.recent).toBeGreaterThan(10);
    expect(poor?.explainedBy.map((e) => `${e.dimension}=${e.value}`)).toEqual(
      expect.arrayContaining(['building=Beta', 'subnet=10.1.2.0']),
    );
    expect(poor?.explainedBy.some((e) => e.value === 'Alpha' || e.value === '10.1.0.0')).toBe(false);
  });

  it('tests a rise with a pooled two-proportion z', () => {
    // 30/200 against 20/400: p = 50/600, se = sqrt(p(1-p)(1/200+1/400)) = 0.023935, z = (0.15-0.05)/se.
    expect(riseZ(30, 200, 20, 400)).toBeCloseTo(4.1779, 3);
    expect(riseZ(20, 400, 30, 200)).toBeLessThan(0);
    expect(riseZ(0, 0, 1, 10)).toBe(0);
  });
});
