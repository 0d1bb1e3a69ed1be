// The PostgreSQL Db's own behaviour: pool size from the URL, and prepared statements that survive another
// process changing a table's shape under them.
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../test-stores.ts';
import { defaultPoolSize, PostgresDb, poolSizeFromUrl } from './postgres-db.ts';

describe('pool size from the database URL', () => {
  it('takes pool_size out of the URL and leaves the rest', () => {
    expect(poolSizeFromUrl('postgres://h/db')).toEqual({ url: 'postgres://h/db' });
    expect(poolSizeFromUrl('postgres://h/db?pool_size=30')).toEqual({ url: 'postgres://h/db', poolSize: 30 });
    expect(poolSizeFromUrl('postgres://h/db?sslmode=require&pool_size=4')).toEqual({
      url: 'postgres://h/db?sslmode=require',
      poolSize: 4,
    });
    expect(poolSizeFromUrl('postgres://h/db?a=1&pool_size=5&b=2')).toEqual({
      url: 'postgres://h/db?a=1&b=2',
      poolSize: 5,
    });
  });
});

for (const database of (await testDatabases()).filter((d) => d.name === 'postgres')) {
  describe('PostgreSQL Db', () => {
    it('sizes its pool from the URL, with a default that leaves room beside the workers', async () => {
      const { url, dispose } = await database.open();
      try {
        const plain = new PostgresDb(url);
        const sized = new PostgresDb(`${url}&pool_size=3`);
        expect(plain.pool.options.max).toBe(defaultPoolSize);
        expect(sized.pool.options.max).toBe(3);
        expect(await sized.get<{ x: number }>('SELECT 1 AS x')).toEqual({ x: 1 });
        await Promise.all([plain.close(), sized.close()]);
      } finally {
        await dispose();
      }
    });

    it('runs a prepared statement again after another connection changed its table', async () => {
      const { db, url, dispose } = await database.open();
      const other = new PostgresDb(url, { poolSize: 1 });
      try {
        await db.exec('CREATE TABLE shape (a INTEGER)');
        await db.run('INSERT INTO shape (a) VALUES (?)', [1]);
        const pinned = new PostgresDb(url, { poolSize: 1 });
        expect(await pinned.all('SELECT * FROM shape')).toEqual([{ a: 1 }]);
        await other.exec('ALTER TABLE shape ADD COLUMN b TEXT');
        // The same text on the same connection: its cached plan's result type changed (SQLSTATE 0A000).
        expect(await pinned.all('SELECT * FROM shape')).toEqual([{ a: 1, b: null }]);
        await pinned.close();
      } finally {
        await other.close();
        await dispose();
      }
    });
  });
}
