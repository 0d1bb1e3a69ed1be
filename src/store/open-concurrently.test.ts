// Several collector processes starting at once against one new PostgreSQL database: each opens the store, one
// migrates at a time, none fails. (SQLite is one process per file.)
import { describe, expect, it } from 'vitest';
import { PostgresDb } from './postgres/postgres-db.ts';
import { storeFromDb } from './store.ts';
import { postgresOnly } from './test-stores.ts';

const suite = 'stores opened at once on one new PostgreSQL database';
for (const database of await postgresOnly(suite)) {
  describe(suite, () => {
    it('migrates once and opens every store', async () => {
      const { url, dispose } = await database.open();
      const dbs = [1, 2, 3, 4].map(() => new PostgresDb(url, { poolSize: 3 }));
      try {
        const opened = await Promise.allSettled(dbs.map((db) => storeFromDb(db, url)));
        expect(opened.map((o) => (o.status === 'fulfilled' ? 'ok' : String(o.reason)))).toEqual([
          'ok',
          'ok',
          'ok',
          'ok',
        ]);
        const applied = await dbs[0].all<{ id: string; n: number }>(
          'SELECT id, COUNT(*) AS n FROM schema_migrations GROUP BY id ORDER BY id',
        );
        expect(applied.length).toBeGreaterThan(4);
        expect(applied.every((m) => m.n === 1)).toBe(true);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await dispose();
      }
    });
  });
}
