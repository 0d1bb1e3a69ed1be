// The live schema of a store (every table and column as the database reports it): the EUII catalog's checks,
// retention's targets, an export's header when the table is empty.
import type { ReadDb } from './db.ts';

export interface LiveColumn {
  table: string;
  column: string;
  notNull: boolean;
  /** Part of the table's primary key. */
  primaryKey: boolean;
}

/**
 * Every column of every table of the current schema (SQLite: main; PostgreSQL: the search_path schema; the
 * partitions of a partitioned table are the table, not tables of their own).
 */
export async function liveColumns(db: ReadDb): Promise<LiveColumn[]> {
  if (db.capabilities.dialect === 'sqlite') {
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

/** The tables of the current schema. */
export async function liveTables(db: ReadDb): Promise<string[]> {
  return [...new Set((await liveColumns(db)).map((c) => c.table))];
}

/** One table's columns in their order. */
export async function tableColumns(db: ReadDb, table: string): Promise<string[]> {
  return (await liveColumns(db)).filter((c) => c.table === table.toLowerCase()).map((c) => c.column);
}
