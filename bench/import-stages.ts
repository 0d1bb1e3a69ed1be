// Where import time goes: each stage of the pipeline timed on its own over the same records (one thread), and
// the SQL of the writes timed by table. Used by bench/import.ts.
import { callRecordSchema } from '../src/graph/call-record-schema.ts';
import { fastCheckOf } from '../src/graph/fast-check.ts';
import { parseCallRecord } from '../src/graph/parse.ts';
import {
  type PreparedRecord,
  prepareAgain,
  prepareRecord,
  saveInputOf,
} from '../src/ingest/prepare-record.ts';
import { normalizeCallRecord } from '../src/normalize/normalize-call.ts';
import type { CallRows } from '../src/normalize/rows.ts';
import type { Db } from '../src/store/db.ts';
import { recordFacts } from '../src/store/ingest-rollups.ts';
import { rawCopyOf } from '../src/store/raw-copy.ts';
import { type Cells, emptyCells } from '../src/store/rollup-cells.ts';
import { packRows } from '../src/store/row-values.ts';
import { SqliteDb } from '../src/store/sqlite/sqlite-db.ts';
import { storeFromDb } from '../src/store/store.ts';

const now = () => performance.now();

function seconds(fn: () => void): number {
  const t = now();
  fn();
  return (now() - t) / 1000;
}

/** A Db that adds up the time of each statement by the table it names, and of each commit. */
function timedDb(inner: Db, totals: Map<string, number>): Db {
  const time = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const t = now();
    try {
      return await fn();
    } finally {
      totals.set(key, (totals.get(key) ?? 0) + now() - t);
    }
  };
  const table = (sql: string) => /(?:INTO|UPDATE|FROM)\s+(\w+)/i.exec(sql)?.[1] ?? sql.slice(0, 20);
  const wrap = (d: Db): Db => ({
    capabilities: d.capabilities,
    locks: d.locks,
    schema: d.schema,
    partitions: d.partitions,
    rollupWrites: d.rollupWrites,
    checkpointInBackground: () => d.checkpointInBackground(),
    all: (sql, params) => time(table(sql), () => d.all(sql, params)),
    get: (sql, params) => time(table(sql), () => d.get(sql, params)),
    each: (sql, params, onRow) => time(table(sql), () => d.each(sql, params, onRow)),
    run: (sql, params) => time(table(sql), () => d.run(sql, params)),
    runEach:
      d.runEach &&
      ((sql, lists) => time(table(sql), () => (d.runEach as NonNullable<Db['runEach']>)(sql, lists))),
    exec: (sql) => time(table(sql), () => d.exec(sql)),
    transaction: (fn) => {
      let bodyEnd = 0;
      const t = now();
      return d
        .transaction(async (tx) => {
          const out = await fn(wrap(tx));
          bodyEnd = now();
          return out;
        })
        .finally(() => totals.set('(commit)', (totals.get('(commit)') ?? 0) + now() - (bodyEnd || t)));
    },
    close: () => d.close(),
  });
  return wrap(inner);
}

export interface StageTimes {
  parse: number;
  fastCheck: number;
  zod: number;
  normalize: number;
  pack: number;
  facts: number;
  rawCopy: number;
  prepareAll: number;
  writes: number;
  sqlByTable: Array<[string, number]>;
}

/**
 * Times every stage over the records' texts, 128 records at a time as import does (nothing kept between
 * chunks, so garbage stays young as in a real import); then prepares and writes each chunk into a fresh SQLite
 * file at `dbPath`, timing the writes (by table) apart from the preparation.
 */
export async function stageTimes(texts: readonly string[], dbPath: string): Promise<StageTimes> {
  const totals = new Map<string, number>();
  const sqlite = new SqliteDb(dbPath);
  const store = await storeFromDb(timedDb(sqlite, totals), dbPath);
  // The store's own map object: facts built under it are written as they are (no rebuild in the transaction).
  const buildings = await store.buildings.map();
  totals.clear();
  const check = fastCheckOf(callRecordSchema);
  const out: StageTimes = {
    parse: 0,
    fastCheck: 0,
    zod: 0,
    normalize: 0,
    pack: 0,
    facts: 0,
    rawCopy: 0,
    prepareAll: 0,
    writes: 0,
    sqlByTable: [],
  };
  for (let i = 0; i < texts.length; i += 128) {
    const chunk = texts.slice(i, i + 128);
    const bytes = chunk.map((t) => Buffer.from(t));
    let parsed: Record<string, unknown>[] = [];
    out.parse += seconds(() => {
      parsed = chunk.map((t) => JSON.parse(t) as Record<string, unknown>);
    });
    out.fastCheck += seconds(() => {
      for (const p of parsed) if (!check?.(p)) throw new Error('the fast check refused a synthetic record');
    });
    out.zod += seconds(() => {
      for (const p of parsed) parseCallRecord(p);
    });
    let rows: CallRows[] = [];
    out.normalize += seconds(() => {
      rows = parsed.map((p) => normalizeCallRecord(p as never, { receivedAt: 0 }));
    });
    out.pack += seconds(() => {
      for (const r of rows) packRows(r);
    });
    out.facts += seconds(() => {
      const cells = emptyCells();
      for (const r of rows) recordFacts(r, buildings, cells);
    });
    out.rawCopy += seconds(() => {
      for (const b of bytes) rawCopyOf(b);
    });
    parsed = [];
    rows = [];
    // The whole CPU half as import runs it, then the writes of the same chunk.
    const records: PreparedRecord[] = [];
    const cells: Cells = emptyCells();
    out.prepareAll += seconds(() => {
      bytes.forEach((b, k) => {
        const meta = { source: `line ${i + k}`, receivedAt: 0, text: b };
        records.push(prepareRecord(JSON.parse(b.toString('utf8')), meta, { buildings, cells }));
      });
    });
    const t = now();
    await store.records.saveMany(records.map(saveInputOf), { prepare: prepareAgain, counted: cells });
    out.writes += (now() - t) / 1000;
  }
  await store.close();
  out.sqlByTable = [...totals.entries()]
    .map(([k, ms]): [string, number] => [k, ms / 1000])
    .sort((a, b) => b[1] - a[1]);
  return out;
}
