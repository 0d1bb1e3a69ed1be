// `npm run bench:import`: import throughput vs a bare JSON.parse of the same bytes (medians of several runs, each
// run timing both back to back), memory for a 300-person meeting, and where the time goes, stage by stage.
// Options: --p2p N --meeting10 N --meeting300 N (record counts), --runs N (default 5), --keep (leave the temp folder).
// (Import prepares records on the main thread: worker threads were measured slower here, docs/BENCHMARKS.md.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { importPaths } from '../src/ingest/import-files.ts';
import { SqliteDb } from '../src/store/sqlite/sqlite-db.ts';
import { storeFromDb } from '../src/store/store.ts';
import { type StageTimes, stageTimes } from './import-stages.ts';
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
const runs = arg('runs', 5);
const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-'));
const now = () => performance.now();
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU seconds of this process's main thread (Linux), to tell its share from other threads' (SQLite's checkpoints). */
function mainThreadCpu(): number {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

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

let fileNo = 0;
async function importFile(file: string) {
  const path = join(dir, `import-${fileNo++}.db`);
  const db = new SqliteDb(path);
  const store = await storeFromDb(db, path);
  const heap = sampleHeap(db);
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const started = now();
  const summary = await importPaths(store, [file], { now: Date.now });
  const seconds = (now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main = mainThreadCpu() - main0;
  await store.close();
  rmSync(path, { force: true });
  if (summary.failed.length > 0) throw new Error(`import failed: ${summary.failed[0].message}`);
  const records = summary.inserted + summary.updated + summary.unchanged;
  return { seconds, heapPeak: heap.peak, records, cpu: (cpu.user + cpu.system) / 1e6, main };
}

// 1. A single 300-person meeting, first, so the process's peak RSS is still this import's own.
const big = JSON.stringify(syntheticRecord('meeting300', 999_999));
const bigFile = join(dir, 'meeting300.json');
writeFileSync(bigFile, big);
const heapBefore = getHeapStatistics().used_heap_size;
const rssBefore = process.memoryUsage().rss;
const single = await importFile(bigFile);
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

function parseSeconds(): number {
  const t = now();
  for (const t of texts) JSON.parse(t);
  return (now() - t) / 1000;
}

// 3. Runs: a bare JSON.parse of the same texts right before each import, so both see the same machine load.
type Run = Awaited<ReturnType<typeof importFile>> & { parse: number };
const modes: Array<{ name: string; runs: Run[] }> = [{ name: 'main thread', runs: [] }];
const load = loadavg()[0];
parseSeconds();
for (let r = 0; r < runs; r++)
  for (const mode of modes) {
    const parse = parseSeconds();
    mode.runs.push({ ...(await importFile(batchFile)), parse });
  }

// 4. Where the time goes: each stage's best of 3 (the least disturbed by other work on the machine).
const stageRuns: StageTimes[] = [];
for (let r = 0; r < 3; r++) stageRuns.push(await stageTimes(texts, join(dir, `stages-${r}.db`)));
const best = (pick: (s: StageTimes) => number) => Math.min(...stageRuns.map(pick));
const stages = {
  parse: best((s) => s.parse),
  fastCheck: best((s) => s.fastCheck),
  zod: best((s) => s.zod),
  normalize: best((s) => s.normalize),
  pack: best((s) => s.pack),
  facts: best((s) => s.facts),
  rawCopy: best((s) => s.rawCopy),
  prepareAll: best((s) => s.prepareAll),
  writes: best((s) => s.writes),
  sqlByTable: stageRuns.reduce((a, b) => (b.writes < a.writes ? b : a)).sqlByTable,
};

const row = (k: string, v: string) => console.log(`${k.padEnd(44)}${v}`);
const s2 = (x: number) => `${x.toFixed(2)} s`;
console.log(
  `calltrove import benchmark (Node ${process.version}, SQLite, ${texts.length} records, ${runs} runs per mode, medians; ` +
    `${availableParallelism()} cores, load average ${load.toFixed(1)} at start)`,
);
row(
  'records',
  `${counts.p2p} P2P + ${counts.meeting10} 10-person + ${counts.meeting300} 300-person meetings`,
);
row('bytes', `${mb(bytes)} MB`);
const parseMedian = median(modes.flatMap((m) => m.runs.map((r) => r.parse)));
row('bare JSON.parse', `${parseMedian.toFixed(3)} s  ${(bytes / MB / parseMedian).toFixed(1)} MB/s`);
for (const mode of modes) {
  const sec = median(mode.runs.map((r) => r.seconds));
  const ratio = median(mode.runs.map((r) => r.parse / r.seconds));
  row(
    `import, ${mode.name}`,
    `${sec.toFixed(2)} s  ${(texts.length / sec).toFixed(0)} records/s  ${(bytes / MB / sec).toFixed(1)} MB/s  ` +
      `(runs ${mode.runs.map((r) => r.seconds.toFixed(2)).join(', ')})`,
  );
  row('  ratio import / JSON.parse', `${ratio.toFixed(3)}  (goal ≥ 0.33)`);
  row(
    '  CPU: process / main thread',
    `${median(mode.runs.map((r) => r.cpu)).toFixed(2)} s / ${median(mode.runs.map((r) => r.main)).toFixed(2)} s`,
  );
  row('  peak heap (main thread)', `${mb(Math.max(...mode.runs.map((r) => r.heapPeak)))} MB`);
}
console.log('stages, best of 3 (one thread, 128 records at a time):');
row('stage: JSON.parse', s2(stages.parse));
row('stage: validation (fast check)', `${s2(stages.fastCheck)}  (zod parse of the same: ${s2(stages.zod)})`);
row('stage: normalize + classify', s2(stages.normalize));
row('stage: rows to column order', s2(stages.pack));
row('stage: stream facts + rollup deltas', s2(stages.facts));
row('stage: raw copy (sha1 + brotli q0)', s2(stages.rawCopy));
row('stage: all of the above, as import runs it', s2(stages.prepareAll));
row('stage: writes (saveMany of prepared records)', s2(stages.writes));
row(
  '  SQL time by table (run with the fastest writes)',
  stages.sqlByTable
    .slice(0, 8)
    .map(([t, sec]) => `${t} ${sec.toFixed(2)}s`)
    .join(', '),
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
row('peak RSS (process, all runs)', `${mb(process.resourceUsage().maxRSS * 1024)} MB`);
if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
