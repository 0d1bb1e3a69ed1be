// Migration 208 on a database that already holds calls: the new fact columns are added and refilled from the
// normalized rows, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wifiCallId, wifiCallRecord } from '../analytics/test-wifi-call.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { moreDimColumns } from './rollup-grains.ts';
import { storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`migration 208 on an existing database (${database.name})`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      db = opened.db;
      dispose = opened.dispose;
      const store = await storeFromDb(db, opened.url);
      await ingestRecord(store, wifiCallRecord(), { source: 'wifi', receivedAt: 0 });
      // Back to the schema before 208: its columns gone, the migration not applied.
      for (const c of moreDimColumns) await db.exec(`ALTER TABLE stream_facts DROP COLUMN ${c}`);
      await db.run("DELETE FROM schema_migrations WHERE id = '208-more-dimensions'");
    });
    afterAll(() => dispose());

    it('adds the columns and refills every kept stream fact', async () => {
      expect(await migrate(db, migrations, () => 0)).toEqual(['208-more-dimensions']);
      const rows = await db.all<Record<string, string>>(
        `SELECT ${moreDimColumns.join(', ')} FROM stream_facts WHERE call_id = ? ORDER BY stream_idx`,
        [wifiCallId],
      );
      // Both streams from Bob's end (the callee): at home, wired, no driver or transport reported.
      const bob = {
        access_point: '',
        capture_driver: '',
        render_driver: '',
        isp: 'example.net',
        hour_of_day: '09',
        weekday: 'Wednesday',
        transport: '',
        relay: 'direct',
        codec: 'opus',
        endpoint_model: '',
        endpoint_type: '',
      };
      expect(rows).toEqual([bob, bob]);
    });
  });
}
