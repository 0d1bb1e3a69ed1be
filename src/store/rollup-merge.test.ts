// Rollup deltas of concurrent writers (several processes on PostgreSQL) are queued in the writing transaction and
// merged by one writer at a time: whatever the interleaving, the queue ends empty and the rollups equal a rebuild
// from the facts; a delta left by a writer that died after its commit is merged when a store opens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import type { Db } from './db.ts';
import { PostgresDb } from './postgres/postgres-db.ts';
import { createRecordRepository } from './records.ts';
import { grains, reachTable } from './rollup-grains.ts';
import { rebuildRollups } from './rollups.ts';
import { type Store, storeFromDb } from './store.ts';
import { testCallRecords, testUsers } from './test-call-records.ts';
import { testDatabases } from './test-stores.ts';

async function rollupSnapshot(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of [...grains.map((g) => g.table), reachTable]) {
    const rows = await db.all<Record<string, unknown>>(`SELECT * FROM ${t}`);
    out[t] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
  }
  return out;
}

const pending = async (db: Db) =>
  Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM rollup_pending'))?.n);

function inputs(seed: number, calls: number, version = 1) {
  return testCallRecords({
    seed,
    calls,
    users: testUsers(7, 12),
    start: Date.UTC(2026, 0, 5),
    days: 3,
    version,
  }).map((json) => {
    const { rows } = rowsFromJson(json, { source: 'test', receivedAt: 1000 });
    return { json, rows, source: 'test', receivedAt: 1000 };
  });
}

for (const database of await testDatabases()) {
  describe(`rollups with several writers (${database.name})`, () => {
    let store: Store;
    let url: string;
    let dispose: () => Promise<void>;
    const others: Store[] = [];
    beforeEach(async () => {
      const opened = await database.open();
      url = opened.url;
      dispose = opened.dispose;
      store = await storeFromDb(opened.db, opened.url);
    });
    afterEach(async () => {
      await Promise.all(others.splice(0).map((s) => s.close()));
      await dispose();
    });

    it('ends with an empty queue and rollups equal to a rebuild, saves interleaved across writers', async () => {
      // PostgreSQL: three processes' worth of pools; SQLite: the one store (one writer per file).
      if (database.name === 'postgres')
        for (let i = 0; i < 2; i++) others.push(await storeFromDb(new PostgresDb(url, { poolSize: 4 }), url));
      const writers = [store, ...others];
      const first = inputs(1, 24);
      const newer = inputs(1, 24, 2);
      await Promise.all(
        writers.map(async (w, i) => {
          for (let k = i; k < first.length; k += writers.length) {
            await w.records.save(first[k], prepareAgain);
            // A newer version from another writer: its old contribution comes out, the new one goes in.
            if (k % 3 === 0) await writers[(i + 1) % writers.length].records.save(newer[k], prepareAgain);
          }
        }),
      );
      await Promise.all(
        writers.map((w, i) => w.records.saveMany(inputs(2 + i, 6), { prepare: prepareAgain })),
      );
      expect(await pending(store.db)).toBe(0);
      const incremental = await rollupSnapshot(store.db);
      expect(incremental.rollup_reach.length).toBeGreaterThan(0);
      await rebuildRollups(store.db);
      expect(incremental).toEqual(await rollupSnapshot(store.db));
    });

    it('merges the deltas a writer queued and did not live to merge when a store opens', async () => {
      await store.records.saveMany(inputs(3, 5), { prepare: prepareAgain });
      const before = await rollupSnapshot(store.db);
      if (database.name !== 'postgres') {
        expect(await pending(store.db)).toBe(0);
        return;
      }
      // As a writer killed between its commit and its merge leaves it: the save's rows, its deltas queued.
      const dbOnly = new PostgresDb(url, { poolSize: 2 });
      try {
        const saveWithoutMerge = createRecordRepository(dbOnly);
        await saveWithoutMerge.saveMany(inputs(4, 5), { prepare: prepareAgain });
        expect(await pending(dbOnly)).toBeGreaterThan(0);
      } finally {
        await dbOnly.close();
      }
      const reopened = await storeFromDb(new PostgresDb(url, { poolSize: 2 }), url);
      others.push(reopened);
      expect(await pending(store.db)).toBe(0);
      const merged = await rollupSnapshot(store.db);
      expect(merged).not.toEqual(before);
      await rebuildRollups(store.db);
      expect(merged).toEqual(await rollupSnapshot(store.db));
    });
  });
}
