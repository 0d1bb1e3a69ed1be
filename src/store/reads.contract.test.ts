// The read-only query seam's contract (Store.reads), run unchanged on SQLite and PostgreSQL: queries answer,
// anything else is refused before it reaches the database.
import { describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`read-only query seam contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });

    it('answers SELECT and WITH queries', async () => {
      expect(await store.reads.get<{ n: number }>('SELECT 1 AS n')).toEqual({ n: 1 });
      expect(await store.reads.all('WITH x AS (SELECT 2 AS n) SELECT n FROM x')).toEqual([{ n: 2 }]);
      expect(await store.records.count()).toBe(0);
    });

    it('refuses writes and DDL, which change nothing', async () => {
      for (const sql of [
        "INSERT INTO analytics_meta (key, value) VALUES ('k', 'v')",
        'DELETE FROM analytics_meta',
        ' update analytics_meta SET value = 1',
        'DROP TABLE calls',
      ])
        await expect(store.reads.all(sql)).rejects.toThrow(/queries only/);
      expect(await store.reads.all("SELECT * FROM analytics_meta WHERE key = 'k'")).toEqual([]);
    });
  });
}
