// `calltrove report changes` in-process through main(): the default windows, every metric compared, the baseline as
// a length, CSV columns and a table naming each metric, and bad options refused with exit 2 before opening a store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesAnswer } from '../../analytics/cause-types.ts';
import { parseCsv } from '../../server/test-browser.ts';
import { changeColumns } from '../../service/change-columns.ts';
import { testCallRecords, testUsers } from '../../store/test-call-records.ts';
import { runCli } from '../test-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-changes-'));
const db = join(dir, 'calltrove.db');
const run = (...args: string[]) => runCli(['--db', db, ...args], {});
const hour = 3_600_000;
const day = 24 * hour;

describe('report changes', () => {
  beforeAll(async () => {
    const records = testCallRecords({
      seed: 12,
      calls: 100,
      users: testUsers(6, 30),
      start: Date.now() - 20 * day,
      days: 19,
    });
    writeFileSync(join(dir, 'calls.json'), JSON.stringify({ value: records }));
    expect((await run('import', join(dir, 'calls.json'))).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compares the last 7 days with the 30 before them by default, every metric, as JSON, CSV and a table', async () => {
    const before = Date.now();
    const json = await run('report', 'changes', '--format', 'json');
    expect(json.code, json.err).toBe(0);
    const a = JSON.parse(json.out) as ChangesAnswer;
    const until = Math.ceil(before / hour) * hour;
    expect(a.recent.until - a.recent.since).toBe(7 * day);
    expect([until, until + hour]).toContain(a.recent.until);
    expect(a.baseline).toEqual({ since: a.recent.since - 30 * day, until: a.recent.since });
    const rows = [...a.changes, ...a.unchanged];
    expect(rows.map((r) => r.metric).sort()).toEqual([
      'drop-failure-percent',
      'poor-percent',
      'poor-percent',
      'poor-percent',
      'poor-rating-percent',
      'setup-failure-percent',
    ]);
    // The data spans both windows: each has audio streams.
    const audio = rows.find((r) => r.metric === 'poor-percent' && r.mediaType[0] === 'audio');
    expect(audio?.recent.streams).toBeGreaterThan(0);
    expect(audio?.baseline.streams).toBeGreaterThan(0);

    const csv = parseCsv((await run('report', 'changes', '--format', 'csv')).out);
    expect(csv[0]).toEqual(changeColumns.map((c) => c.header));
    expect(csv).toHaveLength(1 + a.changes.reduce((n, c) => n + c.drivers.length, 0));
    const table = await run('report', 'changes');
    for (const r of rows) expect(table.out).toContain(r.label);
  });

  it('takes the baseline as a length, and refuses a bad baseline, format or limit with exit 2', async () => {
    const a = JSON.parse(
      (await run('report', 'changes', '--since', '3d', '--baseline', '2w', '--format', 'json')).out,
    );
    expect(a.recent.since - a.baseline.since).toBe(14 * day);
    for (const bad of [
      ['--baseline', 'soon'],
      ['--baseline', '0d'],
      ['--format', 'xml'],
      ['--limit', '0'],
    ]) {
      const r = await run('report', 'changes', ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.err).toMatch(/baseline|format|limit/);
    }
  });
});
