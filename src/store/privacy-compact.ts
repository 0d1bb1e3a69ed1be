// Makes cleared bytes leave the database files: SQLite VACUUM + WAL truncation, PostgreSQL VACUUM (FULL).
import type { Db } from './db.ts';

export interface CompactResult {
  done: boolean;
  /** What was run, or why it could not finish (another connection reading, for instance). */
  detail: string;
}

const safeName = /^[a-z_][a-z0-9_]*$/i;

/**
 * SQLite: secure_delete already zeroes freed pages; VACUUM rebuilds the file without free pages or stale
 * cells, and checkpoint(TRUNCATE) before and after copies the WAL back and truncates it to zero bytes, so no
 * old page survives in the -wal file. PostgreSQL: VACUUM (FULL) rewrites each touched table (and its TOAST
 * table) into new files and drops the old ones; dead tuples are gone from the heap files at once.
 */
export async function compactStore(
  db: Db,
  tables: readonly string[],
  options: { vacuum?: boolean } = {},
): Promise<CompactResult> {
  if (db.capabilities.dialect === 'sqlite') {
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
  const names = [...new Set(tables)].filter((t) => safeName.test(t));
  for (const t of names) await db.exec(`VACUUM (FULL) ${t}`);
  return { done: true, detail: `VACUUM (FULL) ${names.join(', ') || '(nothing touched)'}` };
}
