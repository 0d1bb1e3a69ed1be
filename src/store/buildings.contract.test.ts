// The building map repository's contract, run unchanged on SQLite and PostgreSQL: replace, list, the cached
// lookup, and the rollups rebuilt under the new map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { testBuildingsCsv, testCallRecords } from '../server/test-records.ts';
import { type Store, storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';

const buildings = parseBuildingFile(testBuildingsCsv).buildings;

for (const database of await testDatabases()) {
  describe(`building map repository contract (${database.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      store = await storeFromDb(opened.db, opened.url);
      dispose = opened.dispose;
      for (const [i, json] of testCallRecords({ calls: 12, end: Date.UTC(2025, 2, 14) }).entries())
        await ingestRecord(store, json, { source: `t${i}`, receivedAt: 0 });
    });
    afterAll(() => dispose());

    it('starts empty, then lists the map in file order after a replace', async () => {
      expect(await store.buildings.list()).toEqual([]);
      const before = await store.buildings.map();
      const result = await store.buildings.replace(buildings);
      expect(await store.buildings.list()).toEqual(buildings);
      expect(await store.buildings.map()).not.toBe(before);
      // The lookup is cached until the map changes again.
      expect(await store.buildings.map()).toBe(await store.buildings.map());
      expect(result.streams).toBe(result.mappedStreams + result.unknownStreams);
      expect(result.mappedStreams).toBeGreaterThan(0);
      expect(result.calls).toBe(12);
    });

    it('moves every stream to the new map: an empty map leaves none in a building', async () => {
      const emptied = await store.buildings.replace([]);
      expect(emptied.mappedStreams).toBe(0);
      expect(emptied.unknownStreams).toBe(emptied.streams);
      const rows = await store.reads.all<{ n: number }>(
        "SELECT COUNT(*) AS n FROM stream_facts WHERE building <> ''",
      );
      expect(Number(rows[0].n)).toBe(0);
    });
  });
}
