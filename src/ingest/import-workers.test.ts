// Importing through worker threads gives exactly what preparing on the main thread gives: the same summary
// (outcomes, failures in order, skips) and the same tables, with rollups equal to a rebuild; SQLite and PostgreSQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { createPrivacyTransform } from '../privacy/ingest-transform.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { rebuildRollups } from '../store/rollups.ts';
import { storeFromDb } from '../store/store.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from '../store/test-call-records.ts';
import { testDatabases } from '../store/test-stores.ts';
import { tableSnapshot } from '../store/test-tables.ts';
import { type ImportOptions, importPaths } from './import-files.ts';
import { ingestRecord } from './ingest-record.ts';
import { PreparePool } from './prepare-pool.ts';
import { unpackResult } from './prepare-transport.ts';
import { privacyTransformFactory } from './privacy-transform-factory.ts';
import { sample } from './test-samples.ts';

/** A folder of mixed input: NDJSON with broken lines, newer and older versions and repeats; a page; a file. */
function inputFolder(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-workers-'));
  const users = testUsers(6, 25);
  const base = { seed: 11, calls: 40, users, start: Date.UTC(2024, 4, 1), days: 5 };
  const v1 = testCallRecords({ ...base, version: 1 });
  const v2 = testCallRecords({ ...base, version: 2 });
  const nan = structuredClone(v1[7]);
  type Loose = Record<string, unknown>;
  const first = (v: unknown, key: string) => ((v as Loose)[key] as Loose[])[0];
  const media = first(first(first(nan, 'sessions'), 'segments'), 'media');
  first(media, 'streams').averagePacketLossRate = 'NaN';
  const lines = [
    ...v1.slice(0, 25).map((r) => JSON.stringify(r)),
    '{"id": "broken", "version": 1, ',
    '',
    JSON.stringify({ version: 1, startDateTime: '2024-05-01T00:00:00Z' }),
    ...v2.slice(0, 12).map((r) => JSON.stringify(r)),
    `${JSON.stringify(v1[3])}\r`,
    JSON.stringify(v1[30]),
    JSON.stringify(v1[30]),
    JSON.stringify(nan),
    ...v1.slice(25, 40).map((r) => JSON.stringify(r)),
  ];
  const files = [
    join(dir, 'a-calls.ndjson'),
    join(dir, 'b-page.json'),
    join(dir, 'c-pretty.json'),
    join(dir, 'd-empty.json'),
  ];
  writeFileSync(files[0], `${lines.join('\n')}\n`);
  writeFileSync(files[1], JSON.stringify({ value: v2.slice(30, 36) }));
  writeFileSync(
    files[2],
    JSON.stringify(sample('v1.0_callRecord_get_expand_sessions_segments.response.json'), null, 2),
  );
  writeFileSync(files[3], '');
  return { dir, files };
}

describe('worker pool', () => {
  it('prepares units in a worker thread', async () => {
    const pool = new PreparePool(1, { buildings: [] });
    try {
      await pool.ready();
      const json = sample('v1.0_callRecord_get_expand_sessions_segments.response.json');
      const bytes = new TextEncoder().encode(JSON.stringify(json));
      const result = unpackResult(
        await pool.run(
          [
            { kind: 'line', bytes, source: 'x line 1' },
            { kind: 'line', bytes: new TextEncoder().encode('{"id":'), source: 'x line 2' },
          ],
          [5, 6],
        ),
      );
      expect(result.items.map((list) => list.map((i) => i.kind))).toEqual([['prepared'], ['error']]);
      const [first] = result.items[0];
      if (first.kind !== 'prepared') throw new Error('expected a prepared record');
      expect(first.record.call.id).toBe(json.id);
      expect(first.record.receivedAt).toBe(5);
      expect(first.record.raw.size).toBe(bytes.byteLength);
      expect(first.record.values.streams.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});

describe('raw copy kept as read', () => {
  it("keeps a file's own text, and the same record serialized otherwise is still unchanged", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-raw-'));
    const opened = await (await testDatabases())[0].open();
    try {
      const store = await storeFromDb(opened.db, opened.url);
      const json = sample('v1.0_callRecord_get_expand_sessions_segments.response.json');
      const pretty = `${JSON.stringify(json, null, 2)}\n`;
      const file = join(dir, 'pretty.json');
      writeFileSync(file, pretty);
      expect((await importPaths(store, [file])).inserted).toBe(1);
      const [raw] = await store.records.rawVersions(String(json.id));
      expect(raw.size).toBe(Buffer.byteLength(pretty.trimEnd()));
      expect(await store.records.rawJson(String(json.id))).toEqual(json);
      // The collector's copy of the same version (compact JSON, another sha1): same JSON, so unchanged.
      const again = await ingestRecord(store, structuredClone(json), { source: 'graph', receivedAt: 5 });
      expect(again.outcome).toBe('unchanged');
      expect((await importPaths(store, [file])).unchanged).toBe(1);
    } finally {
      await opened.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const database of await testDatabases()) {
  describe(`import through worker threads (${database.name})`, () => {
    it('equals importing on the main thread', async () => {
      const { dir, files } = inputFolder();
      const run = async (options: ImportOptions) => {
        const opened = await database.open();
        const store = await storeFromDb(opened.db, opened.url);
        await replaceBuildings(opened.db, parseBuildingFile(testBuildingsCsv).buildings);
        const summary = await importPaths(store, files, { ...options, batchRecords: 7, now: () => 1000 });
        const tables = await tableSnapshot(opened.db);
        await rebuildRollups(opened.db);
        expect(await tableSnapshot(opened.db)).toEqual(tables);
        return { summary, tables, dispose: opened.dispose };
      };
      try {
        const inline = await run({ workers: 0 });
        const threads = await run({ workers: 2 });
        await inline.dispose();
        await threads.dispose();
        expect(inline.summary.inserted).toBeGreaterThan(40);
        expect(inline.summary.updated).toBeGreaterThan(10);
        expect(inline.summary.superseded + inline.summary.unchanged).toBeGreaterThan(1);
        expect(inline.summary.failed.map((f) => f.message.replace(dir, ''))).toEqual([
          '/a-calls.ndjson line 26: the line ends in the middle of its JSON (cut off?); re-export the file',
          '/a-calls.ndjson line 28: $.id: a call record needs a string "id"',
          '/d-empty.json: the file is empty; nothing to import',
        ]);
        expect(threads.summary).toEqual(inline.summary);
        expect(threads.tables).toEqual(inline.tables);

        // Pseudonymized: workers make the same privacy transform from its settings and the same key file.
        const config = loadConfig({
          overrides: { privacy: { mode: 'pseudonymize', keyFile: join(dir, 'pseudonym.key') } },
        });
        const privacy = (workers: number): ImportOptions => ({
          workers,
          tenantId: 'dc368399-474c-4d40-900c-6265431fd81f',
          transform: createPrivacyTransform({
            config,
            clock: new SystemClock(),
            tenantId: 'dc368399-474c-4d40-900c-6265431fd81f',
          }),
          transformFactory: privacyTransformFactory(config, 'dc368399-474c-4d40-900c-6265431fd81f'),
        });
        const plain = await run(privacy(0));
        const pooled = await run(privacy(2));
        await plain.dispose();
        await pooled.dispose();
        expect(pooled.summary).toEqual(plain.summary);
        expect(pooled.tables).toEqual(plain.tables);
        expect(JSON.stringify(pooled.tables)).not.toContain(testUsers(6, 25)[0].name);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
