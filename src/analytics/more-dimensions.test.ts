// Grouping and filtering by the dimensions migration 208 added, on hand-made records with known answers, on
// SQLite and PostgreSQL: every stream is seen from its client end (Bob, the callee, in these peer-to-peer calls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { normalizeBssid, parseAccessPointFile, parseEndpointFile } from '../quality/asset-files.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { parseQualityQuery } from './parse-quality-query.ts';
import { queryQuality } from './query-quality.ts';
import { wifiBssid, wifiCallRecord } from './test-wifi-call.ts';

type Media = Record<string, Record<string, unknown>>;

/**
 * Call A: the Wi-Fi record as it is (Bob at home: wired, `home.example.net`, no transport or driver, direct,
 * a Wednesday 09:00 UTC). Call B, the next day (Thursday) at 14:00: Bob on the HQ access point over TCP through
 * a relay, with a capture and render driver and a Teams Room endpoint name.
 */
function records(): Record<string, unknown>[] {
  const a = wifiCallRecord();
  const b = JSON.parse(JSON.stringify(wifiCallRecord()).replaceAll('2025-03-12T09:', '2025-03-13T14:'));
  b.id = 'c0ffee00-wifi-4c11-a000-000000000002';
  const segment = b.sessions[0].segments[0];
  const media = segment.media[0] as Media;
  media.calleeNetwork = {
    ...media.callerNetwork,
    ipAddress: '10.10.2.45',
    networkTransportProtocol: 'tcp',
    relayIPAddress: '52.114.1.1',
    relayPort: 3478,
    dnsSuffix: 'Cable.Virginm.NET',
  };
  media.calleeDevice = {
    ...media.calleeDevice,
    captureDeviceDriver: 'Jabra 2.1',
    renderDeviceDriver: 'Jabra 2.2',
  };
  for (const e of [b.sessions[0].callee, segment.callee]) e.name = 'ROOM-HQ-1';
  return [a, b];
}

const cases: [string, Record<string, number>][] = [
  ['access-point', { '(unknown)': 2, 'AP-HQ-3F-East': 2 }],
  ['capture-driver', { '(unknown)': 2, 'Jabra 2.1': 2 }],
  ['render-driver', { '(unknown)': 2, 'Jabra 2.2': 2 }],
  ['isp', { 'example.net': 2, 'virginm.net': 2 }],
  ['hour-of-day', { '09': 2, '14': 2 }],
  ['weekday', { Wednesday: 2, Thursday: 2 }],
  ['transport', { '(unknown)': 2, tcp: 2 }],
  ['relay', { direct: 2, relay: 2 }],
  ['codec', { opus: 4 }],
  ['endpoint-model', { '(unknown)': 2, 'Teams Room Pro': 2 }],
  ['endpoint-type', { '(unknown)': 2, 'Teams Room': 2 }],
];

for (const database of await testDatabases()) {
  describe(`the added dimensions (${database.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const now = Date.UTC(2025, 2, 20);
    const query = async (by: string, filters: string[] = []) => {
      const rows = await queryQuality(
        store.reads,
        parseQualityQuery({ by, filters, measures: 'streams,poorStreams,calls' }, now),
      );
      return rows;
    };
    beforeAll(async () => {
      const opened = await database.open();
      store = await storeFromDb(opened.db, opened.url);
      dispose = opened.dispose;
      for (const [i, r] of records().entries())
        await ingestRecord(store, r, { source: `r${i}`, receivedAt: 0 });
      await store.assets.replaceAccessPoints(
        parseAccessPointFile(`${wifiBssid},AP-HQ-3F-East,Amsterdam HQ,3`).accessPoints,
      );
      await store.assets.replaceEndpoints(
        parseEndpointFile('room-hq-1\tTeams Room Pro\tTeams Room\t\t\t').endpoints,
      );
    });
    afterAll(() => dispose());

    it.each(cases)('groups by %s', async (by, expected) => {
      const rows = await query(by);
      const key = by.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      expect(Object.fromEntries(rows.map((r) => [r[key] ?? '(unknown)', r.streams]))).toEqual(expected);
      for (const r of rows) expect(r.calls).toBe(r[key] === 'opus' ? 2 : 1);
    });

    it('filters by them, alone and together, with the calls counted from the facts', async () => {
      const rows = await query('weekday', ['access-point=AP-HQ-3F-East', 'relay=relay', 'isp=virginm.net']);
      expect(rows).toEqual([{ weekday: 'Thursday', streams: 2, poorStreams: 1, calls: 1 }]);
      expect(await query('', ['hour-of-day=09', 'transport='])).toEqual([
        { streams: 2, poorStreams: 1, calls: 1 },
      ]);
      expect(await query('access-point', ['endpoint-type=Nothing'])).toEqual([]);
    });

    it('never shows the BSSID as an access point value', async () => {
      const values = (await query('access-point')).map((r) => r.accessPoint ?? null);
      expect(values.map((v) => normalizeBssid(v))).toEqual([undefined, undefined]);
      expect(values).toContain('AP-HQ-3F-East');
    });
  });
}
