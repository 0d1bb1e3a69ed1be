// The asset repository's contract, run unchanged on SQLite and PostgreSQL: replace, list, the building map
// carrying the files, and the stream facts rebuilt under them (access point by BSSID, endpoint model by name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wifiAccessPoint, wifiBssid, wifiCallId, wifiCallRecord } from '../analytics/test-wifi-call.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseAccessPointFile, parseEndpointFile } from '../quality/asset-files.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { testBuildingsCsv } from '../server/test-records.ts';
import { type Store, storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';

// The BSSID spelled another way than Graph's, to show the lookup normalizes both.
const accessPoints = parseAccessPointFile(
  `BSSID,APName,BuildingName,Floor\n${wifiBssid.replaceAll(':', '-').toLowerCase()},${wifiAccessPoint.name},${wifiAccessPoint.building},${wifiAccessPoint.floor}\n`,
).accessPoints;
const endpoints = parseEndpointFile('laptop-bob home\tLatitude 7420\tLaptop\tIT\t\t\n').endpoints;

/**
 * The Wi-Fi call with Bob (the callee: the end a peer-to-peer stream's facts describe) on Ada's HQ Wi-Fi and
 * access point instead of at home.
 */
function wifiCalleeRecord(): Record<string, unknown> {
  const record = wifiCallRecord() as {
    sessions: { segments: { media: Record<string, Record<string, unknown>>[] }[] }[];
  };
  const media = record.sessions[0].segments[0].media[0];
  media.calleeNetwork = { ...media.callerNetwork, ipAddress: '10.10.2.45' };
  return record;
}

for (const database of await testDatabases()) {
  describe(`asset repository contract (${database.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const facts = () =>
      store.reads.all<{ access_point: string; endpoint_model: string; endpoint_type: string; n: number }>(
        'SELECT access_point, endpoint_model, endpoint_type, COUNT(*) AS n FROM stream_facts WHERE call_id = ? GROUP BY access_point, endpoint_model, endpoint_type ORDER BY access_point',
        [wifiCallId],
      );
    beforeAll(async () => {
      const opened = await database.open();
      store = await storeFromDb(opened.db, opened.url);
      dispose = opened.dispose;
      await ingestRecord(store, wifiCalleeRecord(), { source: 'wifi', receivedAt: 0 });
      await store.buildings.replace(parseBuildingFile(testBuildingsCsv).buildings);
    });
    afterAll(() => dispose());

    it('starts empty: no access point or endpoint model in any fact', async () => {
      expect(await store.assets.accessPoints()).toEqual([]);
      expect(await store.assets.endpoints()).toEqual([]);
      expect((await store.buildings.map()).assets).toBeUndefined();
      expect((await facts()).map((f) => [f.access_point, f.endpoint_model])).toEqual([['', '']]);
    });

    it('an access-point import names the Wi-Fi end’s access point in its facts, keeping the buildings', async () => {
      const before = await store.buildings.map();
      const r = await store.assets.replaceAccessPoints(accessPoints);
      expect(await store.assets.accessPoints()).toEqual(accessPoints);
      expect(r).toMatchObject({ calls: 1, streams: 2, matchedStreams: 2 });
      const map = await store.buildings.map();
      expect(map).not.toBe(before);
      expect(map).toBe(await store.buildings.map());
      expect(map.size).toBe(before.size);
      expect(map.assets?.accessPoint(wifiBssid)?.name).toBe(wifiAccessPoint.name);
      // Both streams are seen from Bob's end, now on the access point, in its building.
      expect((await facts()).map((f) => [f.access_point, Number(f.n)])).toEqual([[wifiAccessPoint.name, 2]]);
      const b = await store.reads.all<{ building: string }>(
        "SELECT DISTINCT building FROM stream_facts WHERE access_point <> ''",
      );
      expect(b).toEqual([{ building: 'Amsterdam HQ' }]);
    });

    it('an endpoint import adds the model and type by endpoint name (any case), keeping the access points', async () => {
      const r = await store.assets.replaceEndpoints(endpoints);
      expect(await store.assets.endpoints()).toEqual(endpoints);
      expect(r.matchedStreams).toBe(2);
      expect((await facts()).map((f) => ({ ...f, n: Number(f.n) }))).toEqual([
        {
          access_point: wifiAccessPoint.name,
          endpoint_model: 'Latitude 7420',
          endpoint_type: 'Laptop',
          n: 2,
        },
      ]);
      // A building import rebuilds the facts under the files too.
      await store.buildings.replace(parseBuildingFile(testBuildingsCsv).buildings);
      expect((await facts()).map((f) => [f.access_point, f.endpoint_model])).toEqual([
        [wifiAccessPoint.name, 'Latitude 7420'],
      ]);
    });

    it('replacing a file with an empty one clears what it named', async () => {
      await store.assets.replaceAccessPoints([]);
      await store.assets.replaceEndpoints([]);
      expect((await facts()).map((f) => [f.access_point, f.endpoint_model])).toEqual([['', '']]);
    });
  });
}
