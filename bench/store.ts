// `npm run bench:store`: PostgreSQL and SQLite side by side: import throughput through the real import path,
// the dashboard's queries (p50/p95) at N streams, and collector throughput with 1, 2, 3 processes on the twin.
// Options: --parts import,sizes,collect  --sizes 1m,10m  --dbs sqlite,postgres  --runs N (timed runs per query)
// --p2p N --meeting10 N --meeting300 N (records per import run)  --collect 1,2,3  --twin-users N --twin-days N.
// PostgreSQL: CALLTROVE_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/calltrove_bench).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFeedbackSummary } from '../src/analytics/get-feedback-summary.ts';
import { getOverview } from '../src/analytics/get-overview.ts';
import { getQualityTargets } from '../src/analytics/get-quality-targets.ts';
import { getReliability } from '../src/analytics/get-reliability.ts';
import { listUserQuality } from '../src/analytics/list-user-quality.ts';
import { listWorstBuildings } from '../src/analytics/list-worst-buildings.ts';
import { listWorstClientVersions } from '../src/analytics/list-worst-client-versions.ts';
import { listWorstSubnets } from '../src/analytics/list-worst-subnets.ts';
import { importPaths } from '../src/ingest/import-files.ts';
import type { Db } from '../src/store/db.ts';
import { ensurePartitionsFor } from '../src/store/partitions.ts';
import { rebuildRollupsFromFacts } from '../src/store/rollups.ts';
import type { SqliteDb } from '../src/store/sqlite/sqlite-db.ts';
import type { Store } from '../src/store/store.ts';
import { collectRun } from './store-collect.ts';
import {
  type BenchStore,
  count,
  type DbName,
  fillStreamFacts,
  growStreams,
  openBenchStore,
  serverCpuSeconds,
  writeRecords,
} from './store-setup.ts';
import type { RecordKind } from './synthetic-records.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size "${s}": use e.g. 100k, 1m, 10m`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1));
}

const sizes = (arg('sizes') ?? '1m').split(',').filter(Boolean).map(parseSize);
const dbNames = (arg('dbs') ?? 'sqlite,postgres').split(',') as DbName[];
const counts: Record<RecordKind, number> = {
  p2p: Number(arg('p2p') ?? 600),
  meeting10: Number(arg('meeting10') ?? 120),
  meeting300: Number(arg('meeting300') ?? 4),
};
const runs = Number(arg('runs') ?? 15);
const parts = new Set((arg('parts') ?? 'import,sizes,collect').split(','));
const collectCounts = (arg('collect') ?? '1,2,3').split(',').filter(Boolean).map(Number);
const twinSize = { users: Number(arg('twin-users') ?? 200), days: Number(arg('twin-days') ?? 7) };
const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-store-'));
const MB = 1024 * 1024;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

interface ImportFigures {
  seconds: number;
  /** CPU seconds of this process plus, on PostgreSQL, of its server processes. */
  cpu: number;
  records: number;
  streams: number;
  bytes: number;
}

/** Imports one NDJSON file through `calltrove import`'s path (parse, normalize, saveMany batches). */
async function timedImport(
  store: Store,
  file: { path: string; records: number; bytes: number },
): Promise<ImportFigures> {
  const before = await count(store.db, 'call_streams');
  const server0 = await serverCpuSeconds(store.db);
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const summary = await importPaths(store, [file.path], { now: Date.now });
  const seconds = (performance.now() - t) / 1000;
  const own = process.cpuUsage(cpu0);
  const cpu = (own.user + own.system) / 1e6 + (await serverCpuSeconds(store.db)) - server0;
  if (summary.failed.length > 0) throw new Error(`import failed: ${summary.failed[0].message}`);
  return {
    seconds,
    cpu,
    records: file.records,
    streams: (await count(store.db, 'call_streams')) - before,
    bytes: file.bytes,
  };
}

const importLine = (f: ImportFigures) =>
  `${(f.records / f.seconds).toFixed(0)} records/s, ${(f.streams / f.seconds).toFixed(0)} streams/s, ${(f.bytes / MB / f.seconds).toFixed(1)} MB/s (${f.seconds.toFixed(1)} s wall, ${f.cpu.toFixed(1)} s CPU)`;

const end = Date.UTC(2025, 2, 1);
const window = { since: end - 30 * 86_400_000, until: end };
const questions: Record<string, (db: Db) => Promise<unknown>> = {
  overview: (db) => getOverview(db, window),
  'worst buildings': (db) => listWorstBuildings(db, window),
  'worst subnets': (db) => listWorstSubnets(db, window),
  'worst client versions': (db) => listWorstClientVersions(db, window),
  reliability: (db) => getReliability(db, window),
  'QER targets': (db) => getQualityTargets(db, window),
  'user quality (top 50)': (db) => listUserQuality(db, { ...window, limit: 50 }),
  'Rate My Call': (db) => getFeedbackSummary(db, window),
};

async function timeQuestions(db: Db): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [name, q] of Object.entries(questions)) {
    await q(db);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await q(db);
      times.push(performance.now() - t);
    }
    out.set(name, times);
  }
  return out;
}

console.log(
  `bench:store — ${dbNames.join(' vs ')}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
const fresh = writeRecords(dir, 'fresh.ndjson', counts, 1);
console.log(
  `import batch: ${counts.p2p} P2P + ${counts.meeting10} 10-person + ${counts.meeting300} 300-person meetings, ${(fresh.bytes / MB).toFixed(1)} MB NDJSON`,
);

// 1. Import into an empty store.
const freshFigures = new Map<DbName, ImportFigures>();
for (const name of parts.has('import') ? dbNames : []) {
  const b = await openBenchStore(name);
  try {
    const f = await timedImport(b.store, fresh);
    freshFigures.set(name, f);
    console.log(`import into an empty ${name} store: ${importLine(f)}`);
  } finally {
    await b.dispose();
  }
}
if (freshFigures.size === 2) {
  const s = freshFigures.get('sqlite')!;
  const p = freshFigures.get('postgres')!;
  console.log(
    `PostgreSQL / SQLite import: ${(p.seconds / s.seconds).toFixed(2)}x wall time, ${(p.cpu / s.cpu).toFixed(2)}x CPU (goal ≤ 2x)`,
  );
}

// 2. At each size: grow, then dashboard latency and import on top.
for (const size of parts.has('sizes') ? sizes : []) {
  console.log(`\n## ${size.toLocaleString('en')} streams`);
  const latencies = new Map<DbName, Map<string, number[]>>();
  for (const name of dbNames) {
    const b: BenchStore = await openBenchStore(name);
    try {
      const db = b.store.db;
      const seed = await timedImport(
        b.store,
        writeRecords(dir, 'seed.ndjson', { p2p: 300, meeting10: 60, meeting300: 2 }, 500_000),
      );
      let t = performance.now();
      await ensurePartitionsFor(
        db,
        Array.from({ length: 8 }, (_, i) => Date.UTC(2024, 10 + i, 1)),
        Date.now,
      );
      await growStreams(db, size);
      const growS = (performance.now() - t) / 1000;
      t = performance.now();
      const calls = await fillStreamFacts(db, size, end, name === 'sqlite' ? (db as SqliteDb) : undefined);
      const factsS = (performance.now() - t) / 1000;
      t = performance.now();
      await db.transaction((tx) => rebuildRollupsFromFacts(tx));
      await db.exec('ANALYZE');
      const rollS = (performance.now() - t) / 1000;
      console.log(
        `${name}: call_streams ${(await count(db, 'call_streams')).toLocaleString('en')} rows (cloned from ${seed.records} imported records in ${growS.toFixed(0)} s), stream_facts ${(await count(db, 'stream_facts')).toLocaleString('en')} rows of ${calls.toLocaleString('en')} calls (${factsS.toFixed(0)} s), rollups rebuilt + ANALYZE ${rollS.toFixed(0)} s`,
      );
      latencies.set(name, await timeQuestions(db));
      const more = await timedImport(b.store, writeRecords(dir, 'more.ndjson', counts, 900_000));
      console.log(`${name}: import into the ${size.toLocaleString('en')}-stream store: ${importLine(more)}`);
    } finally {
      await b.dispose();
    }
  }
  console.log(
    `\n| question (${runs} runs) | ${dbNames.map((n) => `${n} p50 ms | ${n} p95 ms`).join(' | ')} |`,
  );
  console.log(`|---|${dbNames.map(() => '---:|---:').join('|')}|`);
  for (const q of Object.keys(questions)) {
    const cells = dbNames.map((n) => {
      const xs = latencies.get(n)?.get(q) ?? [0];
      return `${percentile(xs, 0.5).toFixed(1)} | ${percentile(xs, 0.95).toFixed(1)}`;
    });
    console.log(`| ${q} | ${cells.join(' | ')} |`);
  }
}
// 3. Collector processes sharing one PostgreSQL schema against one twin.
if (parts.has('collect') && collectCounts.length > 0) {
  console.log(
    `\n## collectors on PostgreSQL: \`calltrove collect --once\` × N against one twin (${twinSize.users} users, ${twinSize.days} days, twin in real time)`,
  );
  console.log(
    '| processes | records | wall s | records/s (wall) | records/s (fetching) | speed-up | twin requests | 429s | CPU ms/record: collectors + PostgreSQL + twin |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  let one: number | undefined;
  for (const n of collectCounts) {
    const f = await collectRun(n, twinSize);
    const perRecord = (cpu: number) => ((cpu * 1000) / f.records).toFixed(0);
    const rate = f.records / f.fetchSeconds;
    one ??= rate;
    console.log(
      `| ${n} | ${f.records} | ${f.seconds.toFixed(1)} | ${(f.records / f.seconds).toFixed(1)} | ${rate.toFixed(1)} | ${(rate / one).toFixed(2)}x | ${f.requests} | ${f.throttled} | ${perRecord(f.cpu.collectors)} + ${perRecord(f.cpu.postgres)} + ${perRecord(f.cpu.twin)} |`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
