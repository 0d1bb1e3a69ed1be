// Formula injection through every CSV the product writes: display names, device and building names that would
// run in Excel come out of `calls`, `report`, `export`, `buildings list` and the API's CSV as text ('=...).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formulaPayloads as allPayloads } from '../../format/test-formula-payloads.ts';
import { testApp } from '../../server/test-app.ts';
import { parseCsv } from '../../server/test-browser.ts';
import { openStore } from '../../store/store.ts';
import { testCallRecords, testUsers } from '../../store/test-call-records.ts';
import { runCli } from '../test-cli.ts';

/**
 * What can be stored: a NUL character is an impossible value at the door (src/normalize/plausibility.ts nulls
 * it), so that payload never reaches a CSV from the database; the writer's own tests still cover it.
 */
const formulaPayloads = allPayloads.filter((p) => !p.includes('\0'));
/** A building file holds one line per row and trims its cells: the payloads that survive that. */
const buildingPayloads = allPayloads.filter((p) => p === p.trim() && !/[\r\n]/.test(p));

let dir: string;
let db: string;
const run = (...args: string[]) => runCli(['--db', db, ...args], {});

/** Independent of the writer: a cell a spreadsheet would start a formula from (after dropping what it drops). */
const runsAsFormula = (cell: string) =>
  /^[\s\0]*[=+\-@]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell) && !cell.startsWith("'");

function expectInert(csv: string, what: string): string[][] {
  const rows = parseCsv(csv);
  expect(rows.length, what).toBeGreaterThan(1);
  for (const row of rows) for (const cell of row) expect(runsAsFormula(cell), `${what}: ${cell}`).toBe(false);
  return rows;
}

/** Every payload appears in some cell of the column, as the payload behind one quote. */
function expectPayloadsIn(rows: string[][], column: string, what: string, payloads = formulaPayloads) {
  const i = rows[0].indexOf(column);
  expect(i, `${what} has ${column}`).toBeGreaterThanOrEqual(0);
  const cells = new Set(rows.slice(1).map((r) => r[i]));
  for (const p of payloads) expect(cells.has(`'${p}`), `${what}: ${JSON.stringify(p)}`).toBe(true);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-csv-'));
  db = join(dir, 'calltrove.db');
  // One user per payload: it is their display name and their microphone's name.
  const users = testUsers(3, formulaPayloads.length).map((u, i) => ({
    ...u,
    name: formulaPayloads[i],
    capture: formulaPayloads[i],
    subnet: `10.1.${i}.0`,
    ip: `10.1.${i}.20`,
    connectionType: 'wired',
  }));
  const records = testCallRecords({ seed: 9, calls: 60, users, start: Date.now() - 3 * 86_400_000, days: 2 });
  writeFileSync(join(dir, 'calls.json'), JSON.stringify({ value: records }));
  expect((await run('import', join(dir, 'calls.json'))).code).toBe(0);
  // Written by hand (not by the writer under test); each payload a building name, quoted as RFC 4180 says.
  const quoted = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const buildings = buildingPayloads.map(
    (p, i) => `10.1.${i}.0,net ${i},24,${quoted(p)},Contoso,Office,,${quoted(p)},,AT,,EMEA,1,0,0`,
  );
  writeFileSync(join(dir, 'buildings.csv'), buildings.join('\n'));
  const imported = await run('buildings', 'import', join(dir, 'buildings.csv'));
  expect(imported.code, imported.err).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every CSV output keeps formulas as text', () => {
  it('calls --format csv', async () => {
    const res = await run('calls', '--format', 'csv', '--since', '7d', '--limit', '1000');
    expect(res.code, res.err).toBe(0);
    expectPayloadsIn(expectInert(res.out, 'calls'), 'organizerName', 'calls');
  });

  it('report quality --format csv', async () => {
    const res = await run('report', 'quality', '--by', 'capture-device', '--since', '7d', '--format', 'csv');
    expect(res.code, res.err).toBe(0);
    expectPayloadsIn(expectInert(res.out, 'report'), 'captureDevice', 'report');
  });

  it('export (calls, media endpoints)', async () => {
    const calls = await run('export', 'calls', '--format', 'csv', '--out', join(dir, 'calls.csv'));
    expect(calls.code, calls.err).toBe(0);
    expectPayloadsIn(
      expectInert(readFileSync(join(dir, 'calls.csv'), 'utf8'), 'export'),
      'organizer_name',
      'export',
    );
    const media = await run('export', 'media-endpoints', '--format', 'csv');
    expectPayloadsIn(expectInert(media.out, 'export media'), 'capture_device_name', 'export media');
  });

  it('buildings list, which reads back as it was imported', async () => {
    const res = await run('buildings', 'list');
    const rows = expectInert(`NetworkIP\n${res.out}`, 'buildings');
    expect(new Set(rows.slice(1).map((r) => r[3]))).toEqual(new Set(buildingPayloads.map((p) => `'${p}`)));
    writeFileSync(join(dir, 'again.csv'), res.out);
    expect((await run('buildings', 'import', join(dir, 'again.csv'))).code).toBe(0);
    expect((await run('buildings', 'list')).out).toBe(res.out);
  });

  it('the API’s CSV downloads', async () => {
    const store = await openStore(db);
    try {
      // The records were made relative to the real time; the API measures `since=7d` from its own clock.
      const { app } = testApp(store, { now: Date.now() });
      const calls = await app.request('/api/v1/calls?since=7d&limit=1000&format=csv');
      expect(calls.status).toBe(200);
      expectPayloadsIn(expectInert(await calls.text(), 'api calls'), 'organizer', 'api calls');
      const quality = await app.request('/api/v1/quality?by=building&since=7d&format=csv');
      expect(quality.status).toBe(200);
      const rows = expectInert(await quality.text(), 'api quality');
      expectPayloadsIn(rows, 'building', 'api quality', buildingPayloads);
    } finally {
      await store.close();
    }
  });
});
