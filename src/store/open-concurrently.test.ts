// Several collector processes starting at once against one new PostgreSQL database: each opens the store, one
// migrates at a time, none fails. (SQLite is one process per file.)
import { describe, expect, it } from 'vitest';
import { PostgresDb } from './postgres/postgres-db.ts';
import { storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';

for (const database of (await testDatabases()).filter((d) => d.name === 'postgres')) {
  describe('stores opened at once on one new PostgreSQL database', () => {
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

// Without a reachable PostgreSQL (never the case under CI=true, where it is required) the suite shows as skipped.
if (!(await testDatabases()).some((d) => d.name === 'postgres'))
  describe.skip('stores opened at once on one new PostgreSQL database (needs PostgreSQL)', () => {
    it('runs against PostgreSQL', () => undefined);
  });
