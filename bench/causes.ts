// bench:causes: precision and recall of "Where is the problem?" against the causes the Graph twin plants, over seeds,
// beside the naive pivot an admin does by hand in CQD (every dimension value ranked by poor %, same minimum size).
// Options: --seeds 1,2,3,4 --users 120 --days 8
import { queryCounts } from '../src/analytics/cause-groups.ts';
import { causeDimensions, causeScope, findCauses } from '../src/analytics/find-causes.ts';
import { namesCause, qualityCauses, type TruthCause, twinStore } from '../src/analytics/test-twin-store.ts';
import { testDatabases } from '../src/store/test-stores.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const seeds = arg('seeds', '1,2,3,4').split(',').map(Number);
const users = Number(arg('users', '120'));
const days = Number(arg('days', '8'));

type Row = { dimensions: string[]; values: string[] };

/**
 * Precision: the share of the top k rows that are the first to name a planted cause (a second row naming the same
 * cause, three VPN subnets say, tells the admin nothing new); recall: planted causes named by a top-k row.
 */
function score(rows: Row[], causes: TruthCause[], k: number) {
  const top = rows.slice(0, k);
  const found = causes.filter((c) => top.some((r) => namesCause(r, c))).length;
  return {
    precision: top.length ? found / top.length : 0,
    recall: causes.length ? found / causes.length : 1,
  };
}

/** The hand pivot: every value of every dimension with at least 30 classified streams, worst poor % first. */
async function naive(db: Parameters<typeof queryCounts>[0], media: string): Promise<Row[]> {
  const counts = queryCounts(db);
  const scope = causeScope({ filters: { 'media-type': [media] } });
  const rows: (Row & { rate: number })[] = [];
  for (const d of causeDimensions())
    for (const g of await counts.groups(scope, [d]))
      if (g.n >= 30) rows.push({ dimensions: [d], values: g.values, rate: g.k / g.n });
  return rows.sort((a, b) => b.rate - a.rate);
}

const [sqlite] = await testDatabases();
const totals = new Map<string, { precision: number; recall: number; runs: number }>();
const add = (key: string, s: { precision: number; recall: number }) => {
  const t = totals.get(key) ?? { precision: 0, recall: 0, runs: 0 };
  totals.set(key, { precision: t.precision + s.precision, recall: t.recall + s.recall, runs: t.runs + 1 });
};
const times: number[] = [];
const pct = (v: number) => `${(100 * v).toFixed(0)}%`;

console.log(`bench:causes — twin seeds ${seeds.join(', ')}, ${users} users, ${days} days, SQLite`);
for (const seed of seeds) {
  const ts = await twinStore(sqlite, { seed, users, days });
  for (const media of ['audio', 'video']) {
    const planted = qualityCauses(ts.causes, media);
    if (planted.length === 0) continue;
    const started = performance.now();
    const answer = await findCauses(ts.db, { filters: { 'media-type': [media] } });
    times.push(performance.now() - started);
    const pivot = await naive(ts.db, media);
    const line = [`seed ${seed} ${media} (${planted.length} planted)`];
    for (const k of [5, 10]) {
      const a = score(answer.causes, planted, k);
      const b = score(pivot, planted, k);
      add(`${media} causes top ${k}`, a);
      add(`${media} pivot top ${k}`, b);
      line.push(
        `top ${k}: causes P ${pct(a.precision)} R ${pct(a.recall)}, pivot P ${pct(b.precision)} R ${pct(b.recall)}`,
      );
    }
    console.log(line.join(' | '));
  }
  await ts.dispose();
}
console.log('\nmean over seeds');
for (const [key, t] of totals)
  console.log(`  ${key.padEnd(24)} precision ${pct(t.precision / t.runs)}  recall ${pct(t.recall / t.runs)}`);
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `findCauses: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms per call (${times.length} calls)`,
);
