// The Db seam behaves the same on every database: placeholders, numbers, bytes, transactions, bulk inserts, scans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { insertMany } from './db.ts';
import { migrate } from './migrate.ts';
import { testDatabases } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`Db on ${database.name}`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      db = opened.db;
      dispose = opened.dispose;
      await migrate(
        db,
        [
          {
            id: '001-t',
            sql: 'CREATE TABLE t (id {{id}}, name TEXT NOT NULL, n BIGINT, x DOUBLE PRECISION, b {{blob}})',
          },
        ],
        () => 0,
      );
    });
    afterAll(() => dispose());

    it('applies a migration once', async () => {
      expect(await migrate(db, [{ id: '001-t', sql: 'CREATE TABLE t (x TEXT)' }], () => 0)).toEqual([]);
    });

    it('round-trips values with ? placeholders', async () => {
      await db.run('INSERT INTO t (name, n, x, b) VALUES (?, ?, ?, ?)', [
        'a',
        1_767_600_000_123,
        0.5,
        new Uint8Array([1, 2, 3]),
      ]);
      const row = await db.get<{ name: string; n: number; x: number; b: Uint8Array }>(
        'SELECT * FROM t WHERE name = ?',
        ['a'],
      );
      expect(row?.n).toBe(1_767_600_000_123);
      expect(row?.x).toBe(0.5);
      expect([...(row?.b ?? [])]).toEqual([1, 2, 3]);
    });

    it('rolls a failed transaction back', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO t (name) VALUES (?)', ['rolled-back']);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.get('SELECT * FROM t WHERE name = ?', ['rolled-back'])).toBeUndefined();
    });

    it('inserts many rows in chunks', async () => {
      const rows = Array.from({ length: 1234 }, (_, i) => [`bulk-${i}`, i]);
      await db.transaction((tx) => insertMany(tx, 't', ['name', 'n'], rows));
      const c = await db.get<{ c: number }>("SELECT COUNT(*) AS c FROM t WHERE name LIKE 'bulk-%'");
      expect(Number(c?.c)).toBe(1234);
    });

    it('hands every row of a scan to each, as values in select order, past one batch', async () => {
      await db.transaction((tx) =>
        insertMany(
          tx,
          't',
          ['name', 'n'],
          Array.from({ length: 12_345 }, (_, i) => [`each-${i}`, i]),
        ),
      );
      const seen: unknown[][] = [];
      await db.each('SELECT n, name FROM t WHERE name LIKE ? ORDER BY n', ['each-%'], (row) =>
        seen.push(row),
      );
      expect(seen).toHaveLength(12_345);
      expect(seen[0]).toEqual([0, 'each-0']);
      expect(seen[12_344]).toEqual([12_344, 'each-12344']);
      // The statement `all` caches is not left in raw mode.
      expect(await db.get('SELECT n, name FROM t WHERE name LIKE ? ORDER BY n', ['each-%'])).toEqual({
        n: 0,
        name: 'each-0',
      });
    });
  });
}
