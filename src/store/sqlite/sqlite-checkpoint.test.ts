// Background checkpoints: with them on, commits leave the WAL to a second connection's thread, which copies the
// committed pages into the database file; stopping restores SQLite's own automatic checkpoints.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SqliteDb } from './sqlite-db.ts';

describe('SqliteDb.checkpointInBackground', () => {
  it('copies committed pages into the database file from another thread, then stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-ckpt-'));
    const file = join(dir, 'db.sqlite');
    const db = new SqliteDb(file);
    try {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
      const stop = db.checkpointInBackground();
      expect(db.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const before = statSync(file).size;
      for (let tx = 0; tx < 20; tx++)
        await db.transaction(async (t) => {
          for (let i = 0; i < 50; i++) await t.run('INSERT INTO t (body) VALUES (?)', ['x'.repeat(2000)]);
        });
      // This connection never checkpoints now: the file grows only when the background thread has copied pages
      // (it may be part-way through when first looked at, so wait for all of them, for up to 10 s).
      for (let i = 0; i < 200 && statSync(file).size <= before + 1_000_000; i++) await sleep(50);
      expect(statSync(file).size).toBeGreaterThan(before + 1_000_000);
      await stop();
      expect(db.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect((await db.get<{ c: number }>('SELECT COUNT(*) AS c FROM t'))?.c).toBe(1000);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
