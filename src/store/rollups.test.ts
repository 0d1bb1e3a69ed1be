// Rollups kept at ingest equal a from-scratch rebuild: after first versions, after newer versions replace
// them, and after a delete; on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { rowsFromJson } from '../normalize/from-json.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from './buildings.ts';
import type { Db } from './db.ts';
import { factsTable, feedbackTable, grains, reachTable } from './rollup-grains.ts';
import { rebuildRollups } from './rollups.ts';
import { type Store, storeFromDb } from './store.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from './test-call-records.ts';
import { testDatabases } from './test-stores.ts';

async function save(store: Store, json: Record<string, unknown>): Promise<void> {
  const receivedAt = Date.UTC(2024, 5, 1);
  const { rows } = rowsFromJson(json, { source: 'test', receivedAt });
  await store.records.save({ json, rows, source: 'test', receivedAt });
}

const tablesToCompare = [factsTable, feedbackTable, reachTable, ...grains.map((g) => g.table)];

async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tablesToCompare) {
    const rows = await db.all<Record<string, unknown>>(`SELECT * FROM ${t}`);
    out[t] = rows
      .map((r) =>
        JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))),
      )
      .sort();
  }
  return out;
}

for (const database of await testDatabases()) {
  describe(`rollup maintenance (${database.name})`, () => {
    it('subtract-then-add leaves the rollups equal to a rebuild', async () => {
      const { db, url, dispose } = await database.open();
      try {
        const store = await storeFromDb(db, url);
        await replaceBuildings(db, parseBuildingFile(testBuildingsCsv).buildings);
        const users = testUsers(1, 30);
        const base = { seed: 3, calls: 40, users, start: Date.UTC(2024, 4, 1), days: 5 };
        const v1 = testCallRecords({ ...base, version: 1 });
        for (const json of v1) await save(store, json);

        const incremental1 = await snapshot(db);
        expect(incremental1[factsTable].length).toBeGreaterThan(100);
        expect(incremental1[feedbackTable].length).toBeGreaterThan(0);
        await rebuildRollups(db);
        expect(await snapshot(db)).toEqual(incremental1);

        // Newer versions of half the calls (different metrics, so different poor counts) replace the old rows.
        const v2 = testCallRecords({ ...base, version: 2 });
        for (const json of v2.slice(0, 20)) await save(store, json);
        await store.records.delete(String(v1[39].id));
        const incremental2 = await snapshot(db);
        expect(incremental2).not.toEqual(incremental1);
        const result = await rebuildRollups(db);
        expect(result.calls).toBe(39);
        expect(await snapshot(db)).toEqual(incremental2);
      } finally {
        await dispose();
      }
    });
  });
}
