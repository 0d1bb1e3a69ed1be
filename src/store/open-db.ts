// Opens the Db a --db value or CALLTROVE_DATABASE_URL names: a postgres:// URL, or a SQLite file path.
import type { Db } from './db.ts';
import { PostgresDb } from './postgres/postgres-db.ts';
import { SqliteDb } from './sqlite/sqlite-db.ts';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function openDb(url: string): Db {
  if (isPostgresUrl(url)) return new PostgresDb(url);
  return new SqliteDb(url.replace(/^sqlite:(\/\/)?/i, ''));
}
