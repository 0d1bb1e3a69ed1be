// callRecord places a call with what the building map carries: buildings always, and the access points and the
// endpoint file once they are imported (the map then carries them as `assets`).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JsonObject } from '../analytics/call-views.ts';
import { wifiBssid, wifiCallId, wifiCallRecord, wifiTenantId } from '../analytics/test-wifi-call.ts';
import { loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { createBuildingMap, parseBuildingFile } from '../quality/buildings.ts';
import { filledTestStore, type TestStore } from '../server/test-app.ts';
import { testBuildingsCsv } from '../server/test-records.ts';
import { callRecord } from './calls.ts';
import { cliPrincipal } from './principal.ts';
import { createService, noAudit } from './service.ts';

let t: TestStore;
beforeAll(async () => {
  t = await filledTestStore({ calls: 2 });
  await ingestRecord(t.store, wifiCallRecord(), { source: 'wifi', tenantId: wifiTenantId, receivedAt: 0 });
});
afterAll(() => t?.dispose());

const clientNetwork = async (store: TestStore['store']) => {
  const s = createService({ store, config: loadConfig({ env: {} }), audit: noAudit });
  const { detail } = await callRecord(s, cliPrincipal(), wifiCallId);
  const media = ((detail.sessions[0].segments as JsonObject[])[0].media as JsonObject[])[0];
  return { network: media.callerNetwork as JsonObject, caller: detail.sessions[0].caller as JsonObject };
};

it('places the network in its building; no access point is claimed without the file', async () => {
  const { network } = await clientNetwork(t.store);
  expect(network).toMatchObject({ building: 'Amsterdam HQ', insideCorp: true });
  expect(network).not.toHaveProperty('accessPoint');
});

it('names the access point and the endpoint model when the building map carries the imported files', async () => {
  const assets = {
    accessPoint: (b: string) =>
      b.toLowerCase() === wifiBssid.toLowerCase()
        ? { bssid: b.toLowerCase(), name: 'AP-HQ-3F-East', building: 'Amsterdam HQ', floor: '3' }
        : undefined,
    endpoint: (n: string) =>
      n === 'LAPTOP-ADA WIFI'
        ? { name: n, model: 'Latitude 7420', type: 'laptop', label1: '', label2: '', label3: '' }
        : undefined,
  };
  const map = { ...createBuildingMap(parseBuildingFile(testBuildingsCsv).buildings), assets };
  const store = { ...t.store, buildings: { ...t.store.buildings, map: async () => map } };
  const { network, caller } = await clientNetwork(store as TestStore['store']);
  expect(network).toMatchObject({
    building: 'Amsterdam HQ',
    insideCorp: true,
    accessPoint: 'AP-HQ-3F-East',
    accessPointFloor: '3',
  });
  expect(caller).toMatchObject({ endpointModel: 'Latitude 7420' });
});
