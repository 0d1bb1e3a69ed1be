// EUII retention keeps the access-point and endpoint names in the stream facts (asset facts, as buildings are)
// while it clears the BSSID and the endpoint name they were looked up by from the call rows; SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wifiAccessPoint, wifiBssid, wifiCallId, wifiCallRecord } from '../analytics/test-wifi-call.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseAccessPointFile, parseEndpointFile } from '../quality/asset-files.ts';
import { moreDimColumns } from '../store/rollup-grains.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { columnRule } from './euii-catalog.ts';
import { loadKeyring } from './pseudonym-key.ts';
import { createTokenizer } from './pseudonymize.ts';
import { runRetention } from './retention.ts';
import { ourTenant } from './test-records.ts';

const DAY = 86_400_000;
const callStart = Date.UTC(2025, 2, 12, 9);

it('classifies every added fact column as non-personal (retention keeps it)', () => {
  for (const c of moreDimColumns) expect(columnRule('stream_facts', c)?.class, c).toBe('non-personal');
  expect(columnRule('call_media_endpoints', 'basic_service_set_identifier')?.class).not.toBe('non-personal');
  expect(columnRule('call_endpoints', 'device_name')?.class).toBe('euii');
});

for (const database of await testDatabases()) {
  describe(`asset facts after retention (${database.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const keyDir = mkdtempSync(join(tmpdir(), 'calltrove-asset-retention-'));
    beforeAll(async () => {
      const opened = await database.open();
      dispose = opened.dispose;
      store = await storeFromDb(opened.db, opened.url);
      // Bob (the end the facts describe) on Ada's Wi-Fi access point.
      const record = wifiCallRecord() as { sessions: { segments: { media: Record<string, unknown>[] }[] }[] };
      const media = record.sessions[0].segments[0].media[0];
      media.calleeNetwork = media.callerNetwork;
      await ingestRecord(store, record, { source: 'wifi', tenantId: ourTenant, receivedAt: callStart });
      await store.assets.replaceAccessPoints(
        parseAccessPointFile(`${wifiBssid},${wifiAccessPoint.name},HQ,3`).accessPoints,
      );
      await store.assets.replaceEndpoints(parseEndpointFile('LAPTOP-BOB HOME\tSurface\tLaptop').endpoints);
    });
    afterAll(async () => {
      await dispose();
      rmSync(keyDir, { recursive: true, force: true });
    });

    it('clears the BSSID and endpoint name from the rows and keeps the names in the facts', async () => {
      const now = callStart + 40 * DAY;
      const ring = loadKeyring(join(keyDir, 'key.json'), callStart);
      const report = await runRetention(store, {
        now,
        clock: { now: () => now },
        euiiDays: 28,
        recordDays: 400,
        dryRun: false,
        tokenizer: () => createTokenizer(ring, ourTenant),
      });
      expect(report.recordsScrubbed).toBe(1);
      const rows = await store.reads.all<{ b: string | null }>(
        'SELECT basic_service_set_identifier AS b FROM call_media_endpoints WHERE call_id = ?',
        [wifiCallId],
      );
      expect(rows.map((r) => r.b)).toEqual([null, null]);
      const names = await store.reads.all<{ n: string | null }>(
        'SELECT device_name AS n FROM call_endpoints WHERE call_id = ?',
        [wifiCallId],
      );
      expect(names.every((r) => r.n === null)).toBe(true);
      const facts = await store.reads.all<{ access_point: string; endpoint_model: string }>(
        'SELECT DISTINCT access_point, endpoint_model FROM stream_facts WHERE call_id = ?',
        [wifiCallId],
      );
      expect(facts).toEqual([{ access_point: wifiAccessPoint.name, endpoint_model: 'Surface' }]);
    });
  });
}
