// PostgreSQL's schema role: DDL as PostgreSQL spells it, the live schema of the search_path schema (partitions
// counted as their table), and compaction (VACUUM FULL of the tables retention touched).
import type { CompactResult, Db, LiveColumn, ReadDb, SchemaDialect } from '../db.ts';

const safeName = /^[a-z_][a-z0-9_]*$/i;

async function liveColumns(db: ReadDb): Promise<LiveColumn[]> {
  const rows = await db.all<{ t: string; name: string; nullable: string; pk: number }>(
    // pg_catalog, not information_schema: the latter's per-column key lookups took seconds per call once the
    // database held many schemas (retention reads the live schema on every run).
    `SELECT c.relname AS t, a.attname AS name, CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS nullable,
       CASE WHEN EXISTS (SELECT 1 FROM pg_index i
                          WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
            THEN 1 ELSE 0 END AS pk
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
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
