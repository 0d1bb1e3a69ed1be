// Test support: every Store-level suite runs against each database: SQLite always, PostgreSQL when reachable
// (and always under CI=true, where an unreachable PostgreSQL is a failure, not a skip).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { testEnv } from '../config/test-env.ts';
import type { Db } from './db.ts';
import { ensurePostgresDatabase } from './postgres/ensure-database.ts';
import { PostgresDb } from './postgres/postgres-db.ts';
import { SqliteDb } from './sqlite/sqlite-db.ts';
import { type Store, storeFromDb } from './store.ts';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database; dispose() removes it. */
  open(): Promise<{ db: Db; url: string; dispose(): Promise<void> }>;
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    // A server that answers but lacks the test database (a new machine): make it, as .ci/run does.
    if ((err as { code?: string }).code === '3D000') return ensurePostgresDatabase(url);
    return false;
  }
}

let reachable: Promise<boolean> | undefined;

let counter = 0;

export async function testDatabases(): Promise<TestDatabase[]> {
  const env = testEnv();
  const list: TestDatabase[] = [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'calltrove-test-'));
        const url = join(dir, 'calltrove.db');
        const db = new SqliteDb(url);
        return {
          db,
          url,
          async dispose() {
            await db.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  const pgUrl = env.postgresUrl;
  if (pgUrl && !reachable) reachable = postgresReachable(pgUrl);
  if (pgUrl && ((await reachable) || env.ci)) {
    list.push({
      name: 'postgres',
      async open() {
        const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.end();
        const db = new PostgresDb(pgUrl, { searchPath: schema, poolSize: 4 });
        const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
        return {
          db,
          url,
          async dispose() {
            await db.close();
            const c = new pg.Client({ connectionString: pgUrl });
            await c.connect();
            await c.query(`DROP SCHEMA ${schema} CASCADE`);
            await c.end();
          },
        };
      },
    });
  }
  return list;
}

/**
 * The PostgreSQL database alone, for suites about several connections or processes. Where none is reachable
 * (never under CI=true, where it is required) the suite `name` shows as skipped rather than as a file without tests.
 */
export async function postgresOnly(name: string): Promise<TestDatabase[]> {
  const list = (await testDatabases()).filter((d) => d.name === 'postgres');
  if (list.length === 0)
    describe.skip(`${name} (needs PostgreSQL)`, () => {
      it('runs against PostgreSQL', () => undefined);
    });
  return list;
}

/**
 * A migrated Store on a fresh database of `database`, for each test ('each') or shared by the suite ('all'),
 * disposed after: `use` receives it before the test (or suite) runs.
 */
export function useTestStore(
  database: TestDatabase,
  scope: 'each' | 'all',
  use: (store: Store) => void,
): void {
  let dispose: (() => Promise<void>) | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    const opened = await database.open();
    dispose = opened.dispose;
    use(await storeFromDb(opened.db, opened.url));
  });
  (scope === 'each' ? afterEach : afterAll)(async () => dispose?.());
}
