// The live schema of a store (every table and column as the database reports it, through the backend's schema
// role): the EUII catalog's checks, retention's targets, an export's header when the table is empty.
import type { LiveColumn, ReadDb } from './db.ts';

export type { LiveColumn };

/** Every column of every table of the current schema. */
export function liveColumns(db: ReadDb): Promise<LiveColumn[]> {
  return db.schema.liveColumns(db);
}

/** The tables of the current schema. */
export async function liveTables(db: ReadDb): Promise<string[]> {
  return [...new Set((await liveColumns(db)).map((c) => c.table))];
}

/** One table's columns in their order. */
export async function tableColumns(db: ReadDb, table: string): Promise<string[]> {
  return (await liveColumns(db)).filter((c) => c.table === table.toLowerCase()).map((c) => c.column);
}
