// `access-points` and `endpoints` through main(): imports (errors by line and column, nothing changed on error),
// lists, `report quality --by access-point`, and issue 14's Done-when: after `buildings import` and
// `access-points import`, `call <id> --format json` names the building, inside/outside and the access point in
// the Wi-Fi client's network object.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JsonObject } from '../../analytics/call-views.ts';
import {
  wifiAccessPoint,
  wifiBssid,
  wifiCallId,
  wifiCallRecord,
  wifiTenantId,
} from '../../analytics/test-wifi-call.ts';
import { testBuildingsCsv } from '../../server/test-records.ts';
import { runCli } from '../test-cli.ts';

let dir: string;
const run = (...args: string[]) => runCli(['--db', join(dir, 'calltrove.db'), ...args], {});
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const ap = `${wifiBssid.replaceAll(':', '-')},${wifiAccessPoint.name},${wifiAccessPoint.building},${wifiAccessPoint.floor}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-assets-'));
  expect((await run('buildings', 'import', file('buildings.csv', testBuildingsCsv))).code).toBe(0);
  // Yesterday's call: an older one would arrive with its EUII (the BSSID, the endpoint name) already expired.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const call = file('call.json', JSON.stringify(wifiCallRecord()).replaceAll('2025-03-12T', `${yesterday}T`));
  expect((await run('import', call, '--tenant', wifiTenantId)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a bad access-point file naming line and column, and changes nothing', async () => {
  const bad = await run(
    'access-points',
    'import',
    file('bad.csv', `BSSID,APName,BuildingName,Floor\n${ap}\nnot-a-bssid,AP-2,HQ,1\n`),
  );
  expect(bad.code).not.toBe(0);
  expect(bad.err).toContain('line 3, BSSID');
  expect((await run('access-points', 'list')).out).toBe('');
});

it('imports the access points; the call JSON names building, inside/outside and the access point', async () => {
  const r = await run('access-points', 'import', file('aps.csv', `BSSID,APName,BuildingName,Floor\n${ap}\n`));
  expect(r.code, r.err).toBe(0);
  expect(r.out).toContain('imported 1 access point(s) (header row skipped)');
  const listed = JSON.parse((await run('access-points', 'list', '--format', 'json')).out);
  expect(listed).toEqual([{ bssid: wifiBssid.toLowerCase(), ...wifiAccessPoint }]);
  const c = await run('call', wifiCallId, '--format', 'json');
  expect(c.code, c.err).toBe(0);
  const call = JSON.parse(c.out) as { sessions: JsonObject[] };
  const media = ((call.sessions[0].segments as JsonObject[])[0].media as JsonObject[])[0];
  expect(media.callerNetwork).toMatchObject({
    basicServiceSetIdentifier: wifiBssid,
    building: 'Amsterdam HQ',
    insideCorp: true,
    accessPoint: wifiAccessPoint.name,
    accessPointFloor: wifiAccessPoint.floor,
    accessPointBuilding: wifiAccessPoint.building,
  });
});

it("imports CQD's endpoint file: the endpoint's model in the call, the model as a report dimension", async () => {
  const r = await run(
    'endpoints',
    'import',
    file('endpoints.tsv', 'LAPTOP-BOB HOME\tSurface Laptop 5\tLaptop\tIT\t\t\n'),
  );
  expect(r.code, r.err).toBe(0);
  expect(r.out).toContain('imported 1 endpoint(s)');
  expect(r.out).toContain('2 stream(s) now carry an endpoint model or type');
  const call = JSON.parse((await run('call', wifiCallId, '--format', 'json')).out) as {
    sessions: JsonObject[];
  };
  expect(call.sessions[0].callee).toMatchObject({
    endpointModel: 'Surface Laptop 5',
    endpointType: 'Laptop',
  });
  const q = await run('report', 'quality', '--by', 'endpoint-model,isp', '--format', 'json');
  expect(q.code, q.err).toBe(0);
  expect(JSON.parse(q.out)).toMatchObject([
    { endpointModel: 'Surface Laptop 5', isp: 'example.net', streams: 2 },
  ]);
  const bad = await run('endpoints', 'import', file('bad.tsv', 'A\tm\n'));
  expect(bad.err).toContain('line 1: has 2 values');
  expect((await run('endpoints', 'list')).out).toBe('LAPTOP-BOB HOME,Surface Laptop 5,Laptop,IT,,\n');
});
