// buildings import/list, report quality and export run in-process through main() against a temporary database.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBuildingsCsv, testCallRecords, testUsers } from '../../store/test-call-records.ts';
import { runCli } from '../test-cli.ts';

let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-analytics-'));
  db = join(dir, 'calltrove.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(['--db', db, ...args], {});

describe('analytics commands', () => {
  it('imports buildings, reports quality as table, csv and json, and exports tables', async () => {
    const start = Date.now() - 4 * 86_400_000;
    const records = testCallRecords({ seed: 5, calls: 40, users: testUsers(6, 20), start, days: 3 });
    writeFileSync(join(dir, 'calls.json'), JSON.stringify({ value: records }));
    expect((await run('import', join(dir, 'calls.json'))).code).toBe(0);

    writeFileSync(join(dir, 'buildings.csv'), testBuildingsCsv);
    const imported = await run('buildings', 'import', join(dir, 'buildings.csv'));
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/imported 4 network row\(s\) for 3 building\(s\), 1 VPN range\(s\)/);
    expect(imported.out).toMatch(
      /rebuilt rollups: 40 call\(s\), \d+ stream\(s\); \d+ stream\(s\) map to a building/,
    );
    const listed = await run('buildings', 'list');
    expect(listed.out.trim().split('\n')).toHaveLength(4);

    const json = await run(
      'report',
      'quality',
      '--by',
      'building,network-type',
      '--since',
      '7d',
      '--filter',
      'media-type=audio',
      '--format',
      'json',
    );
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(2);
    expect(Object.keys(rows[0])).toEqual([
      'building',
      'networkType',
      'streams',
      'classifiedStreams',
      'poorStreams',
      'poorPercent',
      'calls',
    ]);
    expect(rows.some((r) => r.building === 'Alpha')).toBe(true);

    const csv = await run(
      'report',
      'quality',
      '--by',
      'day',
      '--measures',
      'streams,poorPercent,p90JitterMs',
      '--format',
      'csv',
    );
    expect(csv.out.split('\n')[0]).toBe('day,streams,poorPercent,p90JitterMs');
    const table = await run(
      'report',
      'quality',
      '--by',
      'media-type',
      '--order-by',
      '-poorPercent',
      '--limit',
      '2',
    );
    expect(table.out).toMatch(
      /^mediaType\s+streams\s+classifiedStreams\s+poorStreams\s+poorPercent\s+calls\n/,
    );
    expect(table.out).toMatch(/2 row\(s\)\n$/);

    const exported = await run('export', 'stream-facts', '--format', 'csv', '--out', join(dir, 'facts.csv'));
    expect(exported.code).toBe(0);
    expect(readFileSync(join(dir, 'facts.csv'), 'utf8').split('\n')[0]).toMatch(/^call_id,session_idx,/);
    const nd = await run('export', 'rollup-building', '--format', 'ndjson');
    expect(JSON.parse(nd.out.split('\n')[0])).toHaveProperty('building');
  });

  it('answers bad input with exit code 2 and the valid choices', async () => {
    const dim = await run('report', 'quality', '--by', 'floor');
    expect(dim.code).toBe(2);
    expect(dim.err).toMatch(/unknown dimension "floor"\n\s+valid dimensions: day, hour, building/);
    const measure = await run('report', 'quality', '--measures', 'mos');
    expect(measure.err).toMatch(/unknown measure "mos"/);
    const since = await run('report', 'quality', '--since', 'yesterday');
    expect(since.err).toMatch(/bad since "yesterday"/);
    const table = await run('export', 'nope');
    expect(table.err).toMatch(/unknown table "nope"\n\s+tables: calls, participants/);
    writeFileSync(join(dir, 'bad.csv'), '10.0.0.0,a,40,A,,,,,,,,,1,0,0\n');
    const bad = await run('buildings', 'import', join(dir, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/line 1, NetworkRange: "40" is not a prefix length from 8 to 28/);
  });
});
