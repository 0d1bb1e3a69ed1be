// `calltrove call <id>` for a Wi-Fi call in a mapped building, through main() after `buildings import` and
// `import`: the JSON's client network object carries building, inside/outside and flags beside Graph's
// properties, and the text view shows the same facts in the dashboard's units.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JsonObject } from '../../analytics/call-views.ts';
import { wifiCallId, wifiCallRecord, wifiTenantId } from '../../analytics/test-wifi-call.ts';
import { testBuildingsCsv } from '../../server/test-records.ts';
import { runCli } from '../test-cli.ts';

let dir: string;
const run = (...args: string[]) => runCli(['--db', join(dir, 'calltrove.db'), ...args], {});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-call-'));
  writeFileSync(join(dir, 'buildings.csv'), testBuildingsCsv);
  writeFileSync(join(dir, 'call.json'), JSON.stringify(wifiCallRecord()));
  expect((await run('buildings', 'import', join(dir, 'buildings.csv'))).code).toBe(0);
  expect((await run('import', join(dir, 'call.json'), '--tenant', wifiTenantId)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('carries building and inside/outside in each network object, Graph’s properties kept', async () => {
  const r = await run('call', wifiCallId, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  const call = JSON.parse(r.out) as { sessions: JsonObject[] };
  const media = ((call.sessions[0].segments as JsonObject[])[0].media as JsonObject[])[0];
  expect(media.callerNetwork).toMatchObject({
    subnet: '10.10.2.0',
    connectionType: 'wifi',
    wifiSignalStrength: 62,
    building: 'Amsterdam HQ',
    city: 'Amsterdam',
    insideCorp: true,
    flags: { wifiSignalStrength: { level: 'watch' } },
  });
  expect(media.calleeNetwork).toMatchObject({ subnet: '192.168.7.0', building: null, insideCorp: false });
  const text = await run('call', wifiCallId);
  expect(text.out).toMatch(/Building\s+Amsterdam HQ\s+not in the building file/);
  expect(text.out).toMatch(/Inside corp\s+inside\s+outside/);
  expect(text.out).toMatch(/loss 2% \(\?\)/);
});
