// `npm run bench:import`: import throughput vs a bare JSON.parse of the same bytes, and memory for a 300-person meeting.
// Options: --p2p N --meeting10 N --meeting300 N (record counts), --keep (leave the temp folder).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parseCallRecord } from '../src/graph/parse.ts';
import { importPaths } from '../src/ingest/import-files.ts';
import { prepareRecord } from '../src/ingest/ingest-record.ts';
import { normalizeCallRecord } from '../src/normalize/normalize-call.ts';
import type { Db } from '../src/store/db.ts';
import { compress, sha1 } from '../src/store/records.ts';
import { SqliteDb } from '../src/store/sqlite/sqlite-db.ts';
import { storeFromDb } from '../src/store/store.ts';
import { type RecordKind, syntheticRecord } from './synthetic-records.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const counts: Record<RecordKind, number> = {
  p2p: arg('p2p', 600),
  meeting10: arg('meeting10', 120),
  meeting300: arg('meeting300', 4),
};
const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-'));
const now = () => performance.now();
const mb = (bytes: number) => (bytes / MB).toFixed(1);

/** Peak heap seen at any SQLite statement: import never yields to timers, so sample where the work is. */
function sampleHeap(db: SqliteDb): { peak: number } {
  const state = { peak: 0 };
  const proto = Object.getPrototypeOf(db.raw.prepare('SELECT 1')) as { run: (...a: unknown[]) => unknown };
  const run = proto.run;
  proto.run = function (this: unknown, ...a: unknown[]) {
    state.peak = Math.max(state.peak, getHeapStatistics().used_heap_size);
    return run.apply(this, a);
  };
  return state;
}

async function importFile(file: string, name: string) {
  const path = join(dir, `${name}.db`);
  const db = new SqliteDb(path);
  const store = await storeFromDb(db, path);
  const heap = sampleHeap(db);
  const started = now();
  const summary = await importPaths(store, [file]);
  const seconds = (now() - started) / 1000;
  await store.close();
  if (summary.failed.length > 0) throw new Error(`import failed: ${summary.failed[0].message}`);
  return { seconds, heapPeak: heap.peak, records: summary.inserted + summary.updated + summary.unchanged };
}

// 1. A single 300-person meeting, first, so the process's peak RSS is still this import's own.
const big = JSON.stringify(syntheticRecord('meeting300', 999_999));
const bigFile = join(dir, 'meeting300.json');
writeFileSync(bigFile, big);
const heapBefore = getHeapStatistics().used_heap_size;
const rssBefore = process.memoryUsage().rss;
const single = await importFile(bigFile, 'single');
const rssPeakKb = process.resourceUsage().maxRSS;
const bigBytes = Buffer.byteLength(big);

// 2. The mixed batch as NDJSON.
const texts: string[] = [];
let seed = 1;
for (const kind of Object.keys(counts) as RecordKind[])
  for (let i = 0; i < counts[kind]; i++) texts.push(JSON.stringify(syntheticRecord(kind, seed++)));
const batchFile = join(dir, 'batch.ndjson');
writeFileSync(batchFile, `${texts.join('\n')}\n`);
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);

function best(fn: () => void, runs = 3): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = now();
    fn();
    min = Math.min(min, now() - t);
  }
  return min / 1000;
}

const parseSeconds = best(() => {
  for (const t of texts) JSON.parse(t);
});
const batch = await importFile(batchFile, 'batch');

// 3. Where the time goes: each stage of the pipeline on its own, over the same records.
const parsed = texts.map((t) => JSON.parse(t) as Record<string, unknown>);
const zodSeconds = best(() => {
  for (const p of parsed) parseCallRecord(p);
}, 1);
const records = parsed.map((p) => parseCallRecord(p));
const normalizeSeconds = best(() => {
  for (const r of records) normalizeCallRecord(r, { receivedAt: 0 });
}, 1);
const rawSeconds = best(() => {
  for (const p of parsed) {
    const s = JSON.stringify(p);
    sha1(s);
    compress(s);
  }
}, 1);

/** A Db that adds up the time of each statement by the table it names (transactions included). */
function timedDb(inner: Db, totals: Map<string, number>): Db {
  const time = <T>(sql: string, fn: () => Promise<T>): Promise<T> => {
    const table = /(?:INTO|UPDATE|FROM)\s+(\w+)/i.exec(sql)?.[1] ?? sql.slice(0, 20);
    const t = now();
    return fn().finally(() => totals.set(table, (totals.get(table) ?? 0) + now() - t));
  };
  return {
    capabilities: inner.capabilities,
    all: (sql, params) => time(sql, () => inner.all(sql, params)),
    get: (sql, params) => time(sql, () => inner.get(sql, params)),
    run: (sql, params) => time(sql, () => inner.run(sql, params)),
    exec: (sql) => time(sql, () => inner.exec(sql)),
    transaction: (fn) => inner.transaction((tx) => fn(timedDb(tx, totals))),
    close: () => inner.close(),
  };
}

// The database part alone: saveMany (hash, compress, rows, rollups) on records parsed and normalized beforehand.
const dbPath = join(dir, 'writes.db');
const sqlByTable = new Map<string, number>();
const writesStore = await storeFromDb(timedDb(new SqliteDb(dbPath), sqlByTable), dbPath);
let saveSeconds = 0;
for (let i = 0; i < parsed.length; i += 32) {
  const inputs = parsed
    .slice(i, i + 32)
    .map((json) => prepareRecord(json, { source: 'bench', receivedAt: 0 }));
  const t = now();
  await writesStore.records.saveMany(inputs);
  saveSeconds += (now() - t) / 1000;
}
await writesStore.close();

const importMBs = bytes / MB / batch.seconds;
const parseMBs = bytes / MB / parseSeconds;
const row = (k: string, v: string) => console.log(`${k.padEnd(42)}${v}`);
console.log(`calltrove import benchmark (Node ${process.version}, SQLite, ${texts.length} records)`);
row(
  'records',
  `${counts.p2p} P2P + ${counts.meeting10} 10-person + ${counts.meeting300} 300-person meetings`,
);
row('bytes', `${mb(bytes)} MB`);
row(
  'import',
  `${batch.seconds.toFixed(2)} s  ${(texts.length / batch.seconds).toFixed(0)} records/s  ${importMBs.toFixed(1)} MB/s`,
);
row('bare JSON.parse', `${parseSeconds.toFixed(3)} s  ${parseMBs.toFixed(1)} MB/s`);
row('ratio import / JSON.parse', `${(importMBs / parseMBs).toFixed(3)}  (goal ≥ 0.33)`);
row('import peak heap (batch)', `${mb(batch.heapPeak)} MB`);
row('stage: JSON.parse', `${parseSeconds.toFixed(2)} s`);
row('stage: zod parse', `${zodSeconds.toFixed(2)} s`);
row('stage: normalize + classify', `${normalizeSeconds.toFixed(2)} s`);
row('stage: stringify + sha1 + deflate(1)', `${rawSeconds.toFixed(2)} s`);
row('stage: saveMany (raw + rows + rollups)', `${saveSeconds.toFixed(2)} s`);
row('  of which SQL writes (rows, rollups)', `${Math.max(0, saveSeconds - rawSeconds).toFixed(2)} s`);
const byTable = [...sqlByTable.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
const sqlTotal = [...sqlByTable.values()].reduce((a, b) => a + b, 0) / 1000;
row('  of which in SQLite statements', `${sqlTotal.toFixed(2)} s (the rest: rollup and row building in JS)`);
row('  SQL time by table', byTable.map(([t, ms]) => `${t} ${(ms / 1000).toFixed(2)}s`).join(', '));
row(
  'stage: rest (file reading, GC, batching)',
  `${Math.max(0, batch.seconds - parseSeconds - zodSeconds - normalizeSeconds - saveSeconds).toFixed(2)} s`,
);
row('300-person meeting', `${mb(bigBytes)} MB, imported in ${single.seconds.toFixed(2)} s`);
row(
  '  heap growth at peak',
  `${mb(single.heapPeak - heapBefore)} MB (${((single.heapPeak - heapBefore) / bigBytes).toFixed(1)}× the record)`,
);
row(
  '  RSS growth at peak',
  `${mb(rssPeakKb * 1024 - rssBefore)} MB (${((rssPeakKb * 1024 - rssBefore) / bigBytes).toFixed(1)}× the record)`,
);
row('peak RSS (process)', `${mb(process.resourceUsage().maxRSS * 1024)} MB`);
if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
