// bench:store's stores and data: a fresh SQLite file or PostgreSQL schema, synthetic NDJSON, and growing a
// store to N streams (stream facts from bench:query's generator, call_streams rows cloned from imported ones).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Db, SqlValue } from '../src/store/db.ts';
import { ensurePostgresDatabase } from '../src/store/postgres/ensure-database.ts';
import { PostgresDb } from '../src/store/postgres/postgres-db.ts';
import { factColumns } from '../src/store/rollup-grains.ts';
import { SqliteDb } from '../src/store/sqlite/sqlite-db.ts';
import { type Store, storeFromDb } from '../src/store/store.ts';
import { fillFacts } from './synthetic-facts.ts';
import { type RecordKind, syntheticRecord } from './synthetic-records.ts';

export type DbName = 'sqlite' | 'postgres';

export interface BenchStore {
  name: DbName;
  store: Store;
  url: string;
  dispose(): Promise<void>;
}

export const benchPostgresUrl =
  process.env.CALLTROVE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/calltrove_bench';

let n = 0;
/** A fresh, migrated store: a SQLite file in a temp folder, or a schema of its own in the bench database. */
export async function openBenchStore(name: DbName): Promise<BenchStore> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-store-'));
    const url = join(dir, 'bench.db');
    const store = await storeFromDb(new SqliteDb(url), url);
    return {
      name,
      store,
      url,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!(await ensurePostgresDatabase(benchPostgresUrl)))
    throw new Error(`cannot reach or create the bench database ${benchPostgresUrl}`);
  const schema = `bench_${process.pid}_${n++}`;
  const admin = new pg.Client({ connectionString: benchPostgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${benchPostgresUrl}${benchPostgresUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  const store = await storeFromDb(new PostgresDb(url), url);
  return {
    name,
    store,
    url,
    async dispose() {
      await store.close();
      const c = new pg.Client({ connectionString: benchPostgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Writes synthetic records as NDJSON; returns the file, the record count and the bytes. */
export function writeRecords(
  dir: string,
  file: string,
  counts: Record<RecordKind, number>,
  firstSeed: number,
): { path: string; records: number; bytes: number } {
  const texts: string[] = [];
  let seed = firstSeed;
  for (const kind of Object.keys(counts) as RecordKind[])
    for (let i = 0; i < counts[kind]; i++) texts.push(JSON.stringify(syntheticRecord(kind, seed++)));
  const path = join(dir, file);
  const body = `${texts.join('\n')}\n`;
  writeFileSync(path, body);
  return { path, records: texts.length, bytes: Buffer.byteLength(body) };
}

export async function count(db: Db, table: string): Promise<number> {
  return Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0);
}

const DAY = 86_400_000;

/**
 * Clones the stored call_streams rows (of imported records) until the table holds `target` rows: copy k gets
 * call ids suffixed `~k` and its call start shifted by k mod 90 days (so PostgreSQL spreads it over months).
 */
export async function growStreams(db: Db, target: number): Promise<void> {
  const base = await count(db, 'call_streams');
  if (base === 0) throw new Error('import some records first');
  const cols = (
    db.capabilities.dialect === 'postgres'
      ? await db.all<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = 'call_streams' ORDER BY ordinal_position`,
        )
      : await db.all<{ name: string }>(`SELECT name FROM pragma_table_info('call_streams')`)
  ).map((c) => c.name);
  const select = cols
    .map((c) =>
      c === 'call_id'
        ? `s.call_id || '~' || CAST(k.k AS TEXT)`
        : c === 'call_start_time'
          ? `s.call_start_time + (k.k % 90) * ${DAY}`
          : `s.${c}`,
    )
    .join(', ');
  await db.exec('CREATE TABLE bench_copies (k BIGINT NOT NULL)');
  try {
    let have = base;
    for (let k = 1; have < target; ) {
      // As many whole copies as fit below the target in one statement, at most 20 (bounded transactions).
      const copies = Math.max(1, Math.min(20, Math.floor((target - have) / base)));
      await db.run('DELETE FROM bench_copies');
      for (let i = 0; i < copies; i++) await db.run('INSERT INTO bench_copies (k) VALUES (?)', [k + i]);
      const limit = target - have;
      const r = await db.run(
        `INSERT INTO call_streams (${cols.join(', ')})
         SELECT ${select} FROM call_streams s CROSS JOIN bench_copies k
         WHERE s.call_id NOT LIKE '%~%' LIMIT ${limit}`,
      );
      have += r.changes;
      k += copies;
    }
  } finally {
    await db.exec('DROP TABLE bench_copies');
  }
}

/**
 * Fills stream_facts with `streams` synthetic facts (bench:query's generator, on a scratch SQLite file) and
 * copies them into `db` when it is PostgreSQL: the same rows on both databases. Returns the number of calls.
 */
export async function fillStreamFacts(
  db: Db,
  streams: number,
  end: number,
  sqliteRaw?: SqliteDb,
): Promise<number> {
  if (sqliteRaw) return fillFacts(sqliteRaw.raw, streams, end);
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-facts-'));
  const scratch = new SqliteDb(join(dir, 'facts.db'));
  try {
    await storeFromDb(scratch, join(dir, 'facts.db'));
    const calls = fillFacts(scratch.raw, streams, end);
    await copyFacts(scratch, db);
    return calls;
  } finally {
    await scratch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PostgreSQL bulk path: one INSERT ... SELECT FROM unnest(arrays) per 20k rows (one parameter per column). */
async function copyFacts(from: SqliteDb, to: Db): Promise<void> {
  const types = await to.all<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'stream_facts'`,
  );
  const typeOf = new Map(
    types.map((t) => [t.name, t.type === 'text' ? 'text' : t.type === 'integer' ? 'int4' : 'int8']),
  );
  const cols = [...factColumns];
  const sql = `INSERT INTO stream_facts (${cols.join(',')}) SELECT * FROM unnest(${cols
    .map((c) => `CAST(? AS ${typeOf.get(c)}[])`)
    .join(', ')})`;
  const read = from.raw.prepare(
    `SELECT rowid AS r, ${cols.join(',')} FROM stream_facts WHERE rowid > ? ORDER BY rowid LIMIT 20000`,
  );
  let after = 0;
  for (;;) {
    const rows = read.all(after) as Record<string, SqlValue>[];
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].r);
    const arrays = cols.map((c) => rows.map((r) => r[c]));
    await to.run(sql, arrays as unknown as SqlValue[]);
  }
}

/**
 * CPU seconds used so far by the PostgreSQL server processes serving the bench database (Linux /proc, server on
 * this machine): with the client's own CPU, the work an import costs whatever else the machine is running.
 */
export async function serverCpuSeconds(db: Db): Promise<number> {
  if (db.capabilities.dialect !== 'postgres') return 0;
  const pids = await db.all<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  let seconds = 0;
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      seconds += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // not on this machine, or gone
    }
  }
  return seconds;
}
