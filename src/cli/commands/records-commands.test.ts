// The import, calls, call and reprocess commands run in-process through main() against a temporary database.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { samplePath, samplesDir } from '../../ingest/test-samples.ts';
import { runCli } from '../test-cli.ts';

let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-'));
  db = join(dir, 'calltrove.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(['--db', db, ...args], {});

const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
const tenant = 'dc368399-474c-4d40-900c-6265431fd81f';

describe('record commands', () => {
  it('imports the samples, reports them unchanged the second time, and shows every stream in ms', async () => {
    const first = await run('import', samplesDir, '--tenant', tenant);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/imported 7 \(new 3, updated 4\), unchanged 2, superseded 0, failed 0/);
    const second = await run('import', samplesDir, '--tenant', tenant);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/imported 0 \(new 0, updated 0\), unchanged 9, superseded 0, failed 0/);

    const json = await run('call', id, '--format', 'json');
    expect(json.code).toBe(0);
    const call = JSON.parse(json.out);
    expect(call).toMatchObject({ id, version: 1, view: 'organizer', viewTenantId: tenant });
    const streams = call.sessions[0].segments[0].media[0].streams;
    expect(streams).toHaveLength(2);
    expect(streams[0]).toMatchObject({
      averageJitter: 'PT0.016S',
      averageJitterMs: 16,
      averageRoundTripTimeMs: 61,
      mediaType: 'audio',
      quality: expect.any(String),
      poorReasons: [],
    });
    // Graph's own values are kept exactly (seven fractional digits), beside what calltrove adds.
    expect(call.sessions[0].startDateTime).toBe('2020-02-25T18:52:21.2169889Z');
    const network = call.sessions[0].segments[0].media[0].callerNetwork;
    expect(network.subnet).toBe('10.150.0.0');
    // The sample call is from 2020, long past euiiDays: its addresses are stored cleared, also those that
    // arrive later in a page of its sessions.
    expect(network.reflexiveIPAddress).toBeNull();

    const text = await run('call', id);
    expect(text.out).toMatch(/Session 1/);
    expect(text.out).toMatch(/Segment 1\.1/);
    expect(text.out).toMatch(/Audio streams\n\s+Caller → callee\s+\w+\s+jitter 16 ms\s.*round trip 61 ms/);
    // Past euiiDays the callee is named by its pseudonym token, not by its (cleared) name.
    expect(text.out).toMatch(/callee: pz\.k\d+\.\S+ \(windows skypeForBusiness, rated poor\)/);
    expect(text.out.includes('Owen Franklin')).toBe(false);

    const table = await run('calls');
    expect(table.out).toMatch(/1–3 of 3 call\(s\)/);
    const csv = await run('calls', '--format', 'csv', '--since', '2023-09-25', '--until', '2023-09-26');
    expect(csv.out.trim().split('\n')).toHaveLength(3);
    const list = JSON.parse((await run('calls', '--format', 'json', '--limit', '1')).out);
    expect(list).toHaveLength(1);
    expect(list[0].id).toBe('c3ad8c4b-4a87-4ab1-bef0-284d2f40ed9f');

    const re = await run('reprocess');
    expect(re.code).toBe(0);
    expect(re.out).toMatch(/reprocessed 3 record\(s\), failed 0/);
  });

  it('exits non-zero naming the broken file while the rest imports, and keeps newer versions', async () => {
    const newer = JSON.parse(
      readFileSync(samplePath('v1.0_callRecord_get_expand_sessions_segments.response.json'), 'utf8'),
    );
    newer.version = 7;
    writeFileSync(join(dir, 'newer.json'), JSON.stringify(newer));
    writeFileSync(join(dir, 'broken.json'), '{"id": "a",');
    const r = await run('import', join(dir, 'newer.json'), join(dir, 'broken.json'));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/imported 1 .*failed 1/);
    expect(r.out).toMatch(/broken\.json: .*truncated/);
    expect(r.err).toMatch(/1 input\(s\) could not be imported/);
    const older = await run(
      'import',
      samplePath('v1.0_callRecord_get_expand_sessions_segments.response.json'),
    );
    expect(older.out).toMatch(/superseded 1/);
    expect(JSON.parse((await run('call', id, '--format', 'json')).out).version).toBe(7);
  });

  it('says how to find a call that is not stored, and rejects unknown formats', async () => {
    // Before anything is imported there is no database: said as such, and none is created by looking.
    const none = await run('calls');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no database at .*calltrove\.db/);
    await run('import', samplePath('v1.0_callRecord_get_basic.response.json'));
    const r = await run('call', 'nope');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no call with id nope/);
    expect((await run('calls', '--format', 'xml')).code).toBe(2);
    expect((await run('calls', '--since', 'yesterday')).code).toBe(2);
  });
});
