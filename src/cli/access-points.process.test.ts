// Issue 14's Done-when as an admin runs it against the built CLI: `buildings import`, `access-points import` with
// BSSIDs spelled otherwise than the records spell them, then `call <id> --format json|text` names the building,
// inside/outside, the access point and its floor; an unknown BSSID names none; a bad file is refused by line and
// column and the access points already imported stay. No output on stderr carries a BSSID (EUII).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../analytics/call-views.ts';
import { wifiBssid, wifiCallId, wifiCallRecord, wifiTenantId } from '../analytics/test-wifi-call.ts';
import { testBuildingsCsv } from '../server/test-records.ts';
import { calltrove } from './test-processes.ts';

// Each call's BSSID as its record spells it, and the same access point as the admin's file spells it.
const calls = [
  { n: 1, record: '00-1a-2b-3c-4d-5e', file: '00:1A:2B:3C:4D:5E', ap: 'AP-HQ-1F-Lobby', floor: '1' },
  { n: 2, record: '00:1A:2B:3C:4D:5F', file: '001a.2b3c.4d5f', ap: 'AP-HQ-2F-West', floor: '2' },
  { n: 3, record: 'aa:bb:cc:00:11:22', file: 'AABBCC001122', ap: 'AP-HQ-3F-East', floor: '' },
  { n: 4, record: 'AABB.CC00.1133', file: 'aa-bb-cc-00-11-33', ap: 'AP-HQ-4F-South', floor: '4' },
  { n: 5, record: 'de:ad:be:ef:00:01', file: null, ap: null, floor: null },
].map((c) => ({ ...c, id: wifiCallId.replace(/1$/, String(c.n)) }));

const apFile = [
  'BSSID,APName,BuildingName,Floor',
  ...calls.flatMap((c) =>
    c.file === null
      ? []
      : [c.floor ? `${c.file},${c.ap},Amsterdam HQ,${c.floor}` : `${c.file},${c.ap},Amsterdam HQ`],
  ),
].join('\n');

let dir: string;
/** The BSSID as calltrove stores it: lowercase hex pairs joined by colons. */
const stored = (s: string) =>
  s
    .replace(/[^0-9a-f]/gi, '')
    .toLowerCase()
    .replace(/(..)(?!$)/g, '$1:');
/** Runs the built CLI on the test's store; whatever it writes to stderr names no BSSID in any spelling used. */
async function run(...args: string[]) {
  const r = await calltrove([...args, '--db', join(dir, 'calltrove.db')]).exited;
  const err = r.err.toLowerCase();
  for (const c of calls)
    for (const spelling of [c.record, c.file ?? c.record, stored(c.record)])
      expect(err).not.toContain(spelling.toLowerCase());
  // The bad file's BSSIDs, the good one and the malformed one, are not echoed either.
  expect(err).not.toContain('00:1a:2b:3c:4d');
  return r;
}
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
async function callJson(id: string): Promise<JsonObject> {
  const r = await run('call', id, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  const call = JSON.parse(r.out) as { sessions: JsonObject[] };
  const segment = (call.sessions[0].segments as JsonObject[])[0];
  return ((segment.media as JsonObject[])[0].callerNetwork ?? {}) as JsonObject;
}
async function callText(id: string): Promise<(label: string) => string | undefined> {
  const r = await run('call', id, '--format', 'text');
  expect(r.code, r.err).toBe(0);
  const lines = r.out.split('\n');
  // The first value column is the caller's end (the Wi-Fi client), the second the callee's.
  return (label) =>
    lines
      .find((l) => l.trim().startsWith(label))
      ?.trim()
      .replace(/\s{2,}/g, ' | ');
}

describe('access points in the call view, through the built CLI', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calltrove-proc-aps-'));
    expect((await run('buildings', 'import', file('buildings.csv', testBuildingsCsv))).code).toBe(0);
    // Yesterday's calls: an older one would arrive with its EUII (the BSSID) already expired.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const records = calls.map((c) =>
      file(
        `call-${c.n}.json`,
        JSON.stringify(wifiCallRecord())
          .replaceAll('2025-03-12T', `${yesterday}T`)
          .replaceAll(wifiCallId, c.id)
          .replaceAll(wifiBssid, c.record),
      ),
    );
    const imported = await run('import', ...records, '--tenant', wifiTenantId);
    expect(imported.code, imported.err).toBe(0);
    const aps = await run('access-points', 'import', file('aps.csv', apFile));
    expect(aps.code, aps.err).toBe(0);
    expect(aps.out).toContain('imported 4 access point(s) (header row skipped)');
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of calls.filter((x) => x.file !== null))
    it(`record ${c.record}, file ${c.file}: JSON and text name building, inside-corp, AP and floor`, {
      timeout: 60_000,
    }, async () => {
      expect(await callJson(c.id)).toMatchObject({
        basicServiceSetIdentifier: c.record,
        subnet: '10.10.2.0',
        building: 'Amsterdam HQ',
        insideCorp: true,
        accessPoint: c.ap,
        accessPointBuilding: 'Amsterdam HQ',
        accessPointFloor: c.floor || null,
      });
      const line = await callText(c.id);
      expect(line('Building')).toBe('Building | Amsterdam HQ | not in the building file');
      expect(line('Inside corp')).toBe('Inside corp | inside | outside (subnet not in the building file)');
      expect(line('Access point')).toBe(`Access point | ${c.ap}${c.floor ? ` (floor ${c.floor})` : ''} | –`);
    });

  it('a BSSID the file lacks: no access point, the building still, exit 0', { timeout: 60_000 }, async () => {
    const unknown = calls[4];
    expect(await callJson(unknown.id)).toMatchObject({
      building: 'Amsterdam HQ',
      insideCorp: true,
      accessPoint: null,
      accessPointFloor: null,
      accessPointBuilding: null,
    });
    const line = await callText(unknown.id);
    expect(line('Access point')).toBe('Access point | not in the access-point file | –');
  });

  it('a bad line is refused by line and column; the access points imported before stay', {
    timeout: 60_000,
  }, async () => {
    const bad = await run(
      'access-points',
      'import',
      file(
        'bad.csv',
        `BSSID,APName,BuildingName,Floor\n00:1A:2B:3C:4D:5E,AP-X,HQ,1\n00:1A:2B:3C:4D,AP-Y,HQ,2\n`,
      ),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('line 3, BSSID: is not a BSSID');
    expect(bad.err).not.toContain('line 2');
    const listed = await run('access-points', 'list', '--format', 'json');
    expect((JSON.parse(listed.out) as { name: string }[]).map((a) => a.name)).toEqual(
      calls.flatMap((c) => (c.ap ? [c.ap] : [])),
    );
    expect((await callJson(calls[0].id)).accessPoint).toBe(calls[0].ap);
  });
});
