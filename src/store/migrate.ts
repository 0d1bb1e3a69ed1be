// Schema migrations written once in portable SQL; a few tokens stand for the types the two dialects spell differently.
import type { Db } from './db.ts';

export interface Migration {
  /** Unique and ordered: `001-records`, `002-jobs`, ... */
  id: string;
  /** Portable SQL; `{{id}}` is an auto-increment primary key, `{{blob}}` a byte column. */
  sql: string;
  /** Extra statements for one dialect only (e.g. PostgreSQL partitions, SQLite virtual tables). */
  postgres?: string;
  sqlite?: string;
  /**
   * Runs after the SQL, in the same transaction: refills what SQL alone cannot compute (stream facts that need
   * the fact builder). Sees the schema as the migrations up to this one left it.
   */
  refill?: (tx: Db) => Promise<void>;
}

/** A migration's portable SQL as this backend spells it. */
export function dialectSql(db: Db, sql: string): string {
  return sql.replaceAll('{{id}}', db.schema.types.id).replaceAll('{{blob}}', db.schema.types.blob);
}

/**
 * Several collectors starting at once against one PostgreSQL database: one migrates at a time (IF NOT EXISTS
 * and the applied-check below are not safe against a concurrent twin). SQLite's write lock serializes already.
 */
async function migrationLock(tx: Db): Promise<void> {
  await tx.locks.untilCommit(tx, 'migrate');
}

export async function migrate(
  db: Db,
  migrations: readonly Migration[],
  now: () => number,
): Promise<string[]> {
  await db.transaction(async (tx) => {
    await migrationLock(tx);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
  });
  const done = new Set((await db.all<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
  const applied: string[] = [];
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  for (const m of sorted) {
    if (done.has(m.id)) continue;
    await db.transaction(async (tx) => {
      await migrationLock(tx);
      // Another process may have applied it meanwhile (several collectors starting together).
      if (await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [m.id])) return;
      await tx.exec(dialectSql(tx, m.sql));
      const extra = tx.schema.extraSql(m);
      if (extra) await tx.exec(dialectSql(tx, extra));
      if (m.refill) await m.refill(tx);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [m.id, now()]);
      applied.push(m.id);
    });
  }
  return applied;
}
