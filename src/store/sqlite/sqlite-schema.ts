// SQLite's schema role: DDL as SQLite spells it, the live schema as its catalog reports it, and compaction (VACUUM).
import type { CompactResult, Db, LiveColumn, ReadDb, SchemaDialect } from '../db.ts';

async function liveColumns(db: ReadDb): Promise<LiveColumn[]> {
  const rows = await db.all<{ t: string; name: string; nn: number; pk: number }>(
    `SELECT m.name AS t, p.name AS name, p."notnull" AS nn, p.pk AS pk
     FROM sqlite_master m, pragma_table_info(m.name) p
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`,
  );
  return rows.map((r) => ({
    table: r.t.toLowerCase(),
    column: r.name.toLowerCase(),
    notNull: r.nn === 1 || r.pk > 0,
    primaryKey: r.pk > 0,
  }));
}

/**
 * secure_delete already zeroes freed pages; VACUUM rebuilds the file without free pages or stale cells, and
 * checkpoint(TRUNCATE) before and after copies the WAL back and truncates it to zero bytes, so no old page
 * survives in the -wal file.
 */
async function compact(
  db: Db,
  _tables: readonly string[],
  options: { vacuum?: boolean },
): Promise<CompactResult> {
  const first = await db.all<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)');
  try {
    if (options.vacuum ?? true) await db.exec('VACUUM');
  } catch (err) {
    return { done: false, detail: `VACUUM could not run (${(err as Error).message}); retried next run` };
  }
  const last = await db.all<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)');
  const busy = (first[0]?.busy ?? 0) + (last[0]?.busy ?? 0);
  return busy === 0
    ? { done: true, detail: 'VACUUM; wal_checkpoint(TRUNCATE)' }
    : { done: false, detail: 'another connection kept the WAL from being truncated; retried next run' };
}

export const sqliteSchema: SchemaDialect = {
  types: { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', blob: 'BLOB' },
  extraSql: (m) => m.sqlite,
  liveColumns,
  compact,
};
