// Batched saves (several records per transaction, rollup deltas added up and applied once) leave every table
// exactly as saving one by one would, and the rollups equal a rebuild; on SQLite both write paths (cached
// single-row statements, and the portable multi-row path PostgreSQL takes) give the same tables.
import { describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from './buildings.ts';
import type { Db } from './db.ts';
import type { SaveInput, SaveOutcome } from './records.ts';
import { rebuildRollups } from './rollups.ts';
import { storeFromDb } from './store.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from './test-call-records.ts';
import { testDatabases } from './test-stores.ts';
import { tableSnapshot as snapshot } from './test-tables.ts';

/** The same db with multi-row statements only (what PostgreSQL does), to test that path on SQLite too. */
function portable(db: Db): Db {
  const capabilities = { ...db.capabilities, runEach: false };
  const wrap = (d: Db): Db => ({
    capabilities,
    locks: d.locks,
    schema: d.schema,
    partitions: d.partitions,
    rollupWrites: d.rollupWrites,
    checkpointInBackground: () => d.checkpointInBackground(),
    all: (sql, params) => d.all(sql, params),
    get: (sql, params) => d.get(sql, params),
    each: (sql, params, onRow) => d.each(sql, params, onRow),
    run: (sql, params) => d.run(sql, params),
    exec: (sql) => d.exec(sql),
    transaction: (fn) => d.transaction((tx) => fn(wrap(tx))),
    close: () => d.close(),
  });
  return wrap(db);
}

/** First versions, then newer versions of half, an older one late, repeats, and a same-version re-expand. */
function inputs(): SaveInput[] {
  const users = testUsers(4, 20);
  const base = { seed: 9, calls: 30, users, start: Date.UTC(2024, 4, 1), days: 4 };
  const v1 = testCallRecords({ ...base, version: 1 });
  const v2 = testCallRecords({ ...base, version: 2 });
  const trimmed = structuredClone(v1[3]);
  delete trimmed.sessions;
  // v1[21] then v2[21] in one batch: a call added and replaced before the batch's rollups are written.
  const list = [
    ...v1.slice(0, 20),
    ...v2.slice(0, 10),
    v1[20],
    v1[0],
    v1[21],
    v2[21],
    ...v1.slice(22),
    v1[5],
    trimmed,
  ];
  list.splice(12, 0, v2[12], v1[12]);
  return list.map((json, i) => {
    const receivedAt = Date.UTC(2024, 5, 1) + i;
    const tenantId = i % 7 === 0 ? 'dc368399-474c-4d40-900c-6265431fd81f' : undefined;
    const { rows } = rowsFromJson(json, { source: `t${i}`, tenantId, receivedAt });
    return { json, rows, source: `t${i}`, tenantId, receivedAt };
  });
}

async function saveAll(db: Db, url: string, batch: number): Promise<SaveOutcome[]> {
  const store = await storeFromDb(db, url);
  await replaceBuildings(db, parseBuildingFile(testBuildingsCsv).buildings);
  const all = inputs();
  const out: SaveOutcome[] = [];
  for (let i = 0; i < all.length; i += batch)
    out.push(...(await store.records.saveMany(all.slice(i, i + batch), { prepare: prepareAgain })));
  return out;
}

for (const database of await testDatabases()) {
  describe(`batched saves (${database.name})`, () => {
    it('equal one-by-one saves, and the rollups equal a rebuild', async () => {
      const one = await database.open();
      const many = await database.open();
      try {
        const single = await saveAll(one.db, one.url, 1);
        const batched = await saveAll(many.db, many.url, 16);
        expect(batched).toEqual(single);
        expect(new Set(single)).toEqual(new Set(['inserted', 'updated', 'superseded', 'unchanged']));
        const incremental = await snapshot(many.db);
        expect(incremental).toEqual(await snapshot(one.db));
        await rebuildRollups(many.db);
        expect(await snapshot(many.db)).toEqual(incremental);
      } finally {
        await one.dispose();
        await many.dispose();
      }
    });

    if (database.name === 'sqlite')
      it('write the same tables through multi-row statements as through single-row ones', async () => {
        const fast = await database.open();
        const slow = await database.open();
        try {
          expect(fast.db.capabilities.runEach).toBe(true);
          await saveAll(fast.db, fast.url, 16);
          await saveAll(portable(slow.db), slow.url, 16);
          expect(await snapshot(slow.db)).toEqual(await snapshot(fast.db));
        } finally {
          await fast.dispose();
          await slow.dispose();
        }
      });
  });
}
