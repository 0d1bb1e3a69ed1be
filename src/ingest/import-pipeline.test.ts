// One record pipeline: importing a folder in batches gives exactly the tables that saving the same records one
// by one as the collector does gives (plain and pseudonymized), with rollups equal to a rebuild; SQLite and
// PostgreSQL. And a file's own text is its raw copy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { createPrivacyTransform } from '../privacy/ingest-transform.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { rebuildRollups } from '../store/rollups.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from '../store/test-call-records.ts';
import { testDatabases } from '../store/test-stores.ts';
import { tableSnapshot } from '../store/test-tables.ts';
import { type ImportOptions, importPaths } from './import-files.ts';
import { ingestRecord } from './ingest-record.ts';
import { isUnit, itemsOfUnit, readFileUnits } from './read-input.ts';
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
      expect((await importPaths(store, [file], { now: () => 1 })).inserted).toBe(1);
      const [raw] = await store.records.rawVersions(String(json.id));
      expect(raw.size).toBe(Buffer.byteLength(pretty.trimEnd()));
      expect(await store.records.rawJson(String(json.id))).toEqual(json);
      // The collector's copy of the same version (compact JSON, another sha1): same JSON, so unchanged.
      const again = await ingestRecord(store, structuredClone(json), { source: 'graph', receivedAt: 5 });
      expect(again.outcome).toBe('unchanged');
      expect((await importPaths(store, [file], { now: () => 1 })).unchanged).toBe(1);
    } finally {
      await opened.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The collector's path: every record of the files, in order, saved on its own through ingestRecord. */
async function oneByOne(store: Store, files: readonly string[], transform?: ImportOptions['transform']) {
  for (const file of files)
    for await (const unit of readFileUnits(file)) {
      if (!isUnit(unit)) continue;
      for (const item of itemsOfUnit(unit)) {
        if (item.kind !== 'record') continue;
        const meta = { source: item.source, jsonPath: item.jsonPath, receivedAt: 1000, text: item.text };
        await ingestRecord(store, item.json, { ...meta, tenantId, transform }).catch(() => undefined);
      }
    }
}

const tenantId = 'dc368399-474c-4d40-900c-6265431fd81f';

for (const database of await testDatabases()) {
  describe(`one record pipeline (${database.name})`, () => {
    it('import in batches equals the collector saving one record at a time, plain and pseudonymized', async () => {
      const { dir, files } = inputFolder();
      const run = async (fill: (store: Store) => Promise<unknown>) => {
        const opened = await database.open();
        const store = await storeFromDb(opened.db, opened.url);
        await store.buildings.replace(parseBuildingFile(testBuildingsCsv).buildings);
        const result = await fill(store);
        const tables = await tableSnapshot(opened.db);
        await rebuildRollups(opened.db);
        expect(await tableSnapshot(opened.db)).toEqual(tables);
        await opened.dispose();
        return { result, tables };
      };
      try {
        const imported = await run((store) =>
          importPaths(store, files, { tenantId, batchRecords: 7, now: () => 1000 }),
        );
        const summary = imported.result as Awaited<ReturnType<typeof importPaths>>;
        expect(summary.inserted).toBeGreaterThan(40);
        expect(summary.updated).toBeGreaterThan(10);
        expect(summary.superseded + summary.unchanged).toBeGreaterThan(1);
        expect(summary.failed.map((f) => f.message.replace(dir, ''))).toEqual([
          '/a-calls.ndjson line 26: the line ends in the middle of its JSON (cut off?); re-export the file',
          '/a-calls.ndjson line 28: $.id: a call record needs a string "id"',
          '/d-empty.json: the file is empty; nothing to import',
        ]);
        const collected = await run((store) => oneByOne(store, files));
        expect(collected.tables).toEqual(imported.tables);

        // Pseudonymized: the same privacy transform on both paths gives the same tokens and rows.
        const config = loadConfig({
          overrides: { privacy: { mode: 'pseudonymize', keyFile: join(dir, 'pseudonym.key') } },
        });
        const transform = () => createPrivacyTransform({ config, clock: new SystemClock(), tenantId });
        const plain = await run((store) =>
          importPaths(store, files, { tenantId, transform: transform(), batchRecords: 7, now: () => 1000 }),
        );
        const single = await run((store) => oneByOne(store, files, transform()));
        expect(single.tables).toEqual(plain.tables);
        expect(JSON.stringify(plain.tables)).not.toContain(testUsers(6, 25)[0].name);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
