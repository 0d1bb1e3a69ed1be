// Rollups kept at ingest equal a from-scratch rebuild: after first versions, after newer versions replace
// them, and after a delete; on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
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
  await store.records.save({ json, rows, source: 'test', receivedAt }, prepareAgain);
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

    it('keeps the rollups of days whose records retention removed when it rebuilds', async () => {
      const { db, url, dispose } = await database.open();
      try {
        const store = await storeFromDb(db, url);
        const base = { seed: 9, calls: 30, users: testUsers(2, 20), start: Date.UTC(2024, 4, 1), days: 6 };
        for (const json of testCallRecords(base)) await save(store, json);
        const DAY = 86_400_000;
        // Retention's way: the oldest days' records and facts go, their rollups stay.
        const cut = base.start + 2 * DAY + 5 * 3_600_000;
        const old = (await db.all<{ id: string }>('SELECT id FROM calls WHERE start_time < ?', [cut])).map(
          (r) => r.id,
        );
        expect(old.length).toBeGreaterThan(0);
        for (const id of old) {
          for (const t of [
            'call_streams',
            'call_media_endpoints',
            'call_media',
            'call_endpoints',
            'call_segments',
            'call_sessions',
            'call_participants',
            factsTable,
            feedbackTable,
          ])
            await db.run(`DELETE FROM ${t} WHERE call_id = ?`, [id]);
          await db.run('DELETE FROM calls WHERE id = ?', [id]);
        }
        const oldest = Number((await db.get<{ t: number }>('SELECT MIN(start_time) AS t FROM calls'))?.t);
        const keepBefore = Math.ceil(oldest / DAY) * DAY;
        const kept = async () => {
          const out: unknown[] = [];
          for (const g of grains)
            out.push(await db.all(`SELECT * FROM ${g.table} WHERE day < ? ORDER BY day`, [keepBefore]));
          out.push(
            await db.all(`SELECT * FROM ${reachTable} WHERE day < ? ORDER BY dim, media_type, day, value`, [
              keepBefore,
            ]),
          );
          return out;
        };
        const before = await kept();
        expect((before[0] as unknown[]).length).toBeGreaterThan(0);
        await replaceBuildings(db, parseBuildingFile(testBuildingsCsv).buildings);
        await rebuildRollups(db);
        expect(await kept()).toEqual(before);
        const rebuiltDays = await db.all<{ n: number }>(
          `SELECT COUNT(*) AS n FROM ${grains[0].table} WHERE day >= ?`,
          [keepBefore],
        );
        expect(Number(rebuiltDays[0].n)).toBeGreaterThan(0);
      } finally {
        await dispose();
      }
    });
  });
}
