// `calltrove report causes` in-process through main(): the JSON answer's scope agrees with `report quality`, the
// CSV has one row per cause with plain dimension and value fields, the table names each cause, bad options exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CausesAnswer } from '../../analytics/cause-types.ts';
import { parseCsv } from '../../server/test-browser.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from '../../store/test-call-records.ts';
import { runCli } from '../test-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-causes-'));
const db = join(dir, 'calltrove.db');
const run = (...args: string[]) => runCli(['--db', db, ...args], {});

describe('report causes', () => {
  beforeAll(async () => {
    const records = testCallRecords({
      seed: 11,
      calls: 120,
      users: testUsers(6, 30),
      start: Date.now() - 5 * 86_400_000,
      days: 4,
    });
    writeFileSync(join(dir, 'calls.json'), JSON.stringify({ value: records }));
    expect((await run('import', join(dir, 'calls.json'))).code).toBe(0);
    writeFileSync(join(dir, 'buildings.csv'), testBuildingsCsv);
    expect((await run('buildings', 'import', join(dir, 'buildings.csv'))).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers JSON whose scope is report quality’s audio total, and CSV and a table of the same causes', async () => {
    const json = await run('report', 'causes', '--since', '30d', '--format', 'json', '--limit', '50');
    expect(json.code, json.err).toBe(0);
    const answer = JSON.parse(json.out) as CausesAnswer;
    const total = await run(
      'report',
      'quality',
      '--since',
      '30d',
      '--filter',
      'media-type=audio',
      '--measures',
      'classifiedStreams,poorStreams',
      '--format',
      'json',
    );
    const [row] = JSON.parse(total.out) as { classifiedStreams: number; poorStreams: number }[];
    expect(answer.scope).toMatchObject({
      classifiedStreams: row.classifiedStreams,
      poorStreams: row.poorStreams,
    });

    const csv = await run('report', 'causes', '--since', '30d', '--format', 'csv', '--limit', '50');
    const rows = parseCsv(csv.out);
    expect(rows[0].slice(0, 3)).toEqual(['rank', 'dimensions', 'values']);
    expect(rows.slice(1).map((r) => [r[1], r[2]])).toEqual(
      answer.causes.map((c) => [c.dimensions.join('+'), c.values.join('+')]),
    );
    const table = await run('report', 'causes', '--since', '30d', '--limit', '50');
    for (const c of answer.causes) expect(table.out).toContain(c.label);
    expect(table.out).toContain(`${answer.scope.classifiedStreams} classified streams`);
  });

  it('scopes to video with --filter and refuses a bad format or limit with exit 2', async () => {
    const video = await run('report', 'causes', '--filter', 'media-type=video', '--format', 'json');
    expect(video.code).toBe(0);
    expect((JSON.parse(video.out) as CausesAnswer).scope.filters['media-type']).toEqual(['video']);
    expect((await run('report', 'causes', '--format', 'xml')).code).toBe(2);
    expect((await run('report', 'causes', '--limit', '0')).code).toBe(2);
  });
});
