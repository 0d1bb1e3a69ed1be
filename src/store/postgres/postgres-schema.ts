// PostgreSQL's schema role: DDL as PostgreSQL spells it, the live schema of the search_path schema (partitions
// counted as their table), and compaction (VACUUM FULL of the tables retention touched).
import type { CompactResult, Db, LiveColumn, ReadDb, SchemaDialect } from '../db.ts';

const safeName = /^[a-z_][a-z0-9_]*$/i;

async function liveColumns(db: ReadDb): Promise<LiveColumn[]> {
  const rows = await db.all<{ t: string; name: string; nullable: string; pk: number }>(
    `SELECT c.table_name AS t, c.column_name AS name, c.is_nullable AS nullable,
       (SELECT COUNT(*) FROM information_schema.table_constraints tc
          JOIN information_schema.key_column_usage k
            ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
         WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
           AND tc.table_name = c.table_name AND k.column_name = c.column_name) AS pk
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
       AND NOT EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
                       WHERE k.relname = c.table_name AND n.nspname = c.table_schema AND k.relispartition)
     ORDER BY c.table_name, c.ordinal_position`,
  );
  return rows.map((r) => ({
    table: r.t.toLowerCase(),
    column: r.name.toLowerCase(),
    notNull: r.nullable === 'NO',
    primaryKey: Number(r.pk) > 0,
  }));
}

/** VACUUM (FULL) rewrites each touched table (and its TOAST table) into new files and drops the old ones. */
async function compact(db: Db, tables: readonly string[]): Promise<CompactResult> {
  const names = [...new Set(tables)].filter((t) => safeName.test(t));
  for (const t of names) await db.exec(`VACUUM (FULL) ${t}`);
  return { done: true, detail: `VACUUM (FULL) ${names.join(', ') || '(nothing touched)'}` };
}

export const postgresSchema: SchemaDialect = {
  types: { id: 'BIGSERIAL PRIMARY KEY', blob: 'BYTEA' },
  extraSql: (m) => m.postgres,
  liveColumns,
  compact,
};
