// bench:query: the dashboard's questions at 10k, 100k, 1M and 10M streams, answered from the rollups and, in the
// same run, straight from the per-stream rows (the same functions with factsOnly); p50/p95 per question.
// `npm run bench:query -- --sizes 10k,1m`; BENCH_RUNS sets the timed runs (default 15).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCauses } from '../src/analytics/find-causes.ts';
import { findChanges } from '../src/analytics/find-changes.ts';
import { getOverview } from '../src/analytics/get-overview.ts';
import { getQualityTargets } from '../src/analytics/get-quality-targets.ts';
import { getReliability } from '../src/analytics/get-reliability.ts';
import { listMissingSubnets } from '../src/analytics/list-missing-subnets.ts';
import { listUserQuality } from '../src/analytics/list-user-quality.ts';
import { listWorstBuildings } from '../src/analytics/list-worst-buildings.ts';
import { listWorstClientVersions } from '../src/analytics/list-worst-client-versions.ts';
import { listWorstSubnets } from '../src/analytics/list-worst-subnets.ts';
import { type QualityOptions, queryQuality } from '../src/analytics/query-quality.ts';
import { grains, reachTable } from '../src/store/rollup-grains.ts';
import { rebuildRollupsFromFacts } from '../src/store/rollups.ts';
import { SqliteDb } from '../src/store/sqlite/sqlite-db.ts';
import { storeFromDb } from '../src/store/store.ts';
import { fillFacts, usersFor } from './synthetic-facts.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const end = Date.UTC(2025, 0, 1);

type Ask = (db: SqliteDb, options: QualityOptions) => Promise<unknown>;

/** The overview's questions first (as the dashboard asks them), then the other dashboard pages' lists. */
const questions: Record<string, Ask> = {
  'overview (totals, by day, by network type)': (db, o) => getOverview(db, {}, o),
  'worst buildings': (db, o) => listWorstBuildings(db, {}, o),
  'worst subnets': (db, o) => listWorstSubnets(db, {}, o),
  'worst client versions': (db, o) => listWorstClientVersions(db, {}, o),
  'missing subnets': (db, o) => listMissingSubnets(db, {}, o),
  'reliability (rates by day, by network type)': (db, o) => getReliability(db, {}, o),
  'QER targets': (db, o) => getQualityTargets(db, {}, o),
  'users (top 50 worst)': (db, o) => listUserQuality(db, {}, o),
  // The dashboard opens on the last 30 days; per-user rows cannot be rolled up past days (see docs/analytics.md).
  'users, last 30 days (dashboard default)': (db, o) => listUserQuality(db, { since: end - 30 * DAY }, o),
  // Periods that are not whole days (period.ts): whole days from the day rollups, the edge hours exactly.
  'overview, last 30 days at 13:37 (edge hours)': (db, o) =>
    getOverview(db, { since: end - 30 * DAY + 14 * HOUR, until: end + 14 * HOUR }, o),
  'worst subnets, last 30 days at 13:37 (edge hours)': (db, o) =>
    listWorstSubnets(db, { since: end - 30 * DAY + 14 * HOUR, until: end + 14 * HOUR }, o),
  'overview, last 24 hours at 13:37': (db, o) =>
    getOverview(db, { since: end - 10 * HOUR, until: end + 14 * HOUR }, o),
  'last 7 days by hour': (db, o) =>
    queryQuality(
      db,
      {
        by: ['hour'],
        filters: { 'media-type': ['audio'] },
        since: end - 7 * DAY,
        measures: ['streams', 'poorPercent', 'calls'],
      },
      o,
    ),
};

/**
 * "Where is the problem?" reads the per-stream rows (its groups are any values and pairs of them, which no rollup
 * holds), so it is timed on its own: fewer runs, no rollup column.
 */
const insight: Record<string, (db: SqliteDb) => Promise<unknown>> = {
  'causes, audio, last 30 days': (db) => findCauses(db, { since: end - 30 * DAY, until: end, filters: {} }),
  'changes, last 7 days against the 30 before': (db) =>
    findChanges(db, { since: end - 7 * DAY, until: end, baselineSince: end - 37 * DAY, filters: {} }),
};

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size "${s}": use e.g. 10k, 100k, 1m, 10m`);
  const unit = m[2].toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
}

const argSizes = process.argv.indexOf('--sizes');
const sizes = (argSizes > 0 ? process.argv[argSizes + 1] : '10k,100k,1m,10m').split(',').map(parseSize);
const runs = Number(process.env.BENCH_RUNS ?? 15);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

async function time(fn: () => Promise<unknown>, n: number, warmUp = true): Promise<number[]> {
  if (warmUp) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `bench:query — SQLite, ${runs} timed runs per question after a warm-up (raw rows: 3 at 1M, 1 without warm-up at 10M); node ${process.version}, ${cpus().length} CPUs, load average ${load()}`,
);

for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-query-'));
  const file = join(dir, 'bench.db');
  const db = new SqliteDb(file);
  try {
    await storeFromDb(db, file);
    // Loading and building get a 256 MB page cache (millions of B-tree inserts); the questions are then timed
    // with SQLite's default cache, as the server runs them.
    const defaultCache = db.raw.pragma('cache_size', { simple: true });
    db.raw.pragma('cache_size = -262144');
    let t = performance.now();
    const calls = fillFacts(db.raw, size, end);
    const fillS = (performance.now() - t) / 1000;
    t = performance.now();
    const steps: string[] = [];
    await db.transaction((tx) =>
      rebuildRollupsFromFacts(tx, { onStep: (step, ms) => steps.push(`${step} ${(ms / 1000).toFixed(1)}`) }),
    );
    const rollS = (performance.now() - t) / 1000;
    db.raw.pragma(`cache_size = ${defaultCache}`);
    db.raw.pragma('wal_checkpoint(TRUNCATE)');
    db.raw.exec('ANALYZE');
    const rows: string[] = [];
    for (const g of [...grains.map((x) => x.table), reachTable]) {
      const n = (db.raw.prepare(`SELECT COUNT(*) AS n FROM ${g}`).get() as { n: number }).n;
      rows.push(`${g.replace('rollup_', '')} ${n}`);
    }
    const mb = statSync(file).size / 1e6;
    console.log(
      `\n## ${size.toLocaleString('en')} streams — ${calls.toLocaleString('en')} calls, ${usersFor(size).toLocaleString('en')} users, 90 days; facts written in ${fillS.toFixed(1)} s, rollups built in ${rollS.toFixed(1)} s; file ${mb.toFixed(0)} MB; load average ${load()}`,
    );
    console.log(`rollup rows: ${rows.join(', ')}`);
    console.log(`rollup build steps (s): ${steps.join(', ')}`);
    console.log(
      '| question | rollups p50 ms | rollups p95 ms | raw rows p50 ms | raw rows p95 ms | raw / rollups |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    const rawRuns = size >= 5e6 ? 1 : size >= 5e5 ? 3 : runs;
    for (const [name, ask] of Object.entries(questions)) {
      const viaRollups = await time(() => ask(db, {}), runs);
      const viaRaw = await time(() => ask(db, { factsOnly: true }), rawRuns, size < 5e6);
      const p50 = percentile(viaRollups, 0.5);
      const rawP50 = percentile(viaRaw, 0.5);
      console.log(
        `| ${name} | ${fmt(p50)} | ${fmt(percentile(viaRollups, 0.95))} | ${fmt(rawP50)} | ${fmt(percentile(viaRaw, 0.95))} | ${(rawP50 / p50).toFixed(0)}× |`,
      );
    }
    const insightRuns = size >= 5e6 ? 1 : size >= 5e5 ? 3 : Math.min(runs, 5);
    console.log(`\n| insight question (${insightRuns} runs after a warm-up) | p50 ms | p95 ms |`);
    console.log('|---|---:|---:|');
    for (const [name, ask] of Object.entries(insight)) {
      const ms = await time(() => ask(db), insightRuns, size < 5e6);
      console.log(`| ${name} | ${fmt(percentile(ms, 0.5))} | ${fmt(percentile(ms, 0.95))} |`);
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
