// The 001-records migration creates exactly the columns src/normalize/rows.ts declares, on both databases.
import { describe, expect, it } from 'vitest';
import { tableColumns, tables } from '../normalize/rows.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { testDatabases } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`records schema (${database.name})`, () => {
    it('has every declared column in every normalized table', async () => {
      const { db, dispose } = await database.open();
      try {
        await migrate(db, migrations, () => 0);
        for (const key of Object.keys(tables) as (keyof typeof tables)[]) {
          const row = await db.get<Record<string, unknown>>(`SELECT * FROM ${tables[key]} LIMIT 1`);
          expect(row).toBeUndefined();
          const cols = Object.keys(tableColumns[key]);
          // Selecting every declared column fails if one is missing.
          await db.all(`SELECT ${cols.join(',')} FROM ${tables[key]} LIMIT 1`);
        }
      } finally {
        await dispose();
      }
    });
  });
}
