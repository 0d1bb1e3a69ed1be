// Analytics rollups rebuilt from the stored per-stream facts (after a building import, for a day range), and a
// deleted call taken out of them. Ingest keeps them current through RollupBatch (ingest-rollups.ts).

import { loadBuildingMap } from './buildings.ts';
import { type Db, insertMany, type SqlValue } from './db.ts';
import { applyRollupCells, RollupBatch } from './ingest-rollups.ts';
import { factsByCall, reachKeys as reachKeysOf } from './rollup-cells.ts';
import {
  factColumns,
  factSumSql,
  factsTable,
  feedbackColumns,
  feedbackTable,
  type Grain,
  grains,
  reachDims,
  reachTable,
  sumColumns,
  weekEnd,
  weekEndSql,
} from './rollup-grains.ts';
import { flushPendingRollups } from './rollup-merge.ts';
import { buildFacts, loadFactSource, type StreamFact } from './stream-facts.ts';

/** Subtracts everything the call's currently stored rows contributed to the rollups, at once. */
export async function removeCallFromRollups(tx: Db, callId: string): Promise<void> {
  const batch = new RollupBatch();
  await batch.remove(tx, callId);
  await applyRollupCells(tx, batch.cells);
}

async function writeFacts(db: Db, facts: ReturnType<typeof buildFacts>): Promise<void> {
  await insertMany(
    db,
    factsTable,
    factColumns,
    facts.streams.map((f) => factColumns.map((c) => f[c])),
  );
  await insertMany(
    db,
    feedbackTable,
    feedbackColumns,
    facts.feedback.map((f) => feedbackColumns.map((c) => f[c])),
  );
}

/**
 * Rebuilds the rollup rows of days from `fromDay` on (all days when omitted) from the stored stream facts:
 * the wide grain from the facts, each narrower grain from the smallest grain already built that covers it, and
 * the distinct-call reach per call.
 */
export async function rebuildRollupsFromFacts(
  tx: Db,
  options: { fromDay?: number; onStep?: (step: string, ms: number) => void } = {},
): Promise<void> {
  // Deltas other writers queued (PostgreSQL) are applied first: the days not rebuilt must count them too.
  await flushPendingRollups(tx);
  const from = options.fromDay;
  let mark = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    options.onStep?.(name, now - mark);
    mark = now;
  };
  const since = from === undefined ? '' : ` WHERE day >= ${Math.floor(from)}`;
  const built: Grain[] = [];
  const dayGrains = grains.filter((g) => !g.period);
  const order = [...dayGrains].sort((a, b) => (a.name === 'wide' ? -1 : b.name === 'wide' ? 1 : 0));
  for (const g of order) {
    await tx.run(`DELETE FROM ${g.table}${since}`);
    const keys = ['day', ...g.dims];
    const source = built
      .filter((b) => g.dims.every((d) => b.dims.includes(d)))
      .sort((a, b) => a.dims.length - b.dims.length)[0];
    const select = source
      ? `SELECT ${[...keys, ...sumColumns.map((c) => `SUM(${c})`)].join(', ')} FROM ${source.table}${since}`
      : `SELECT ${[...keys, ...factSumSql].join(', ')} FROM ${factsTable}${since}`;
    await tx.run(
      `INSERT INTO ${g.table} (${[...keys, ...sumColumns].join(',')}) ${select} GROUP BY ${keys.join(', ')}`,
    );
    built.push(g);
    step(g.name);
  }
  // Week twins from their day grains: the week holding `from` is rebuilt whole, from its kept and new days.
  for (const g of grains.filter((x) => x.period === 'week')) {
    const day = dayGrains.find((x) => `${x.table}_week` === g.table) as Grain;
    const end = weekEndSql('day');
    const weekFrom = from === undefined ? undefined : weekEnd(from);
    await tx.run(`DELETE FROM ${g.table}${weekFrom === undefined ? '' : ` WHERE day >= ${weekFrom}`}`);
    const monday = weekFrom === undefined ? '' : ` WHERE day >= ${weekFrom - 6 * 86_400_000}`;
    await tx.run(
      `INSERT INTO ${g.table} (${['day', ...g.dims, ...sumColumns].join(',')}) SELECT ${[end, ...g.dims, ...sumColumns.map((c) => `SUM(${c})`)].join(', ')} FROM ${day.table}${monday} GROUP BY ${[end, ...g.dims].join(', ')}`,
    );
    step(g.name);
  }
  await tx.run(`DELETE FROM ${reachTable}${since}`);
  // Distinct calls need each call's facts together. A call belongs to one day, so one day at a time is enough:
  // the counts stay small (no heap that grows with the whole history) and are written before the next day.
  const cols = ['call_id', 'day', 'hour', 'call_ms', 'media_type', ...reachDims.filter((d) => d !== 'hour')];
  const days = await tx.all<{ day: number }>(`SELECT DISTINCT day FROM ${factsTable}${since} ORDER BY day`);
  let counted = 0;
  let written = 0;
  for (const { day } of days) {
    let t = performance.now();
    const rows = await tx.all<StreamFact>(
      `SELECT ${cols.join(',')} FROM ${factsTable} WHERE day = ? ORDER BY call_id`,
      [Number(day)],
    );
    // Nested maps (dimension, media, day, value): no key strings to build for millions of increments.
    const counts = new Map<string, Map<string, Map<number, Map<string, number[]>>>>();
    for (const callFacts of factsByCall(rows).values()) {
      const callMs = Number(callFacts[0].call_ms);
      for (const keys of reachKeysOf(callFacts)) addReach(counts, keys, callMs);
    }
    const out: SqlValue[][] = [];
    for (const [dim, byMedia] of counts)
      for (const [media, byDay] of byMedia)
        for (const [d, byValue] of byDay)
          for (const [value, sums] of byValue) out.push([dim, media, d, value, ...sums]);
    counted += performance.now() - t;
    t = performance.now();
    await insertMany(tx, reachTable, ['dim', 'media_type', 'day', 'value', 'calls', 'call_ms'], out);
    written += performance.now() - t;
  }
  options.onStep?.('reach (read and count)', counted);
  options.onStep?.('reach (write)', written);
}

function addReach(
  counts: Map<string, Map<string, Map<number, Map<string, number[]>>>>,
  keys: (string | number)[],
  callMs: number,
): void {
  const [dim, media, day, value] = keys as [string, string, number, string];
  let byMedia = counts.get(dim);
  if (!byMedia) {
    byMedia = new Map();
    counts.set(dim, byMedia);
  }
  let byDay = byMedia.get(media);
  if (!byDay) {
    byDay = new Map();
    byMedia.set(media, byDay);
  }
  let byValue = byDay.get(day);
  if (!byValue) {
    byValue = new Map();
    byDay.set(day, byValue);
  }
  const sums = byValue.get(value);
  if (sums) {
    sums[0] += 1;
    sums[1] += callMs;
  } else byValue.set(value, [1, callMs]);
}

const DAY = 86_400_000;

/**
 * The first day a rebuild may touch. Retention removes old records but keeps their rollups (anonymous
 * aggregates); rollup days before the oldest kept record, and that record's possibly partial first day, are
 * left as they are. With no such history, everything is rebuilt.
 */
async function rebuildFrom(tx: Db): Promise<number | undefined> {
  const oldest = await tx.get<{ t: number | null }>('SELECT MIN(start_time) AS t FROM calls');
  const first = await tx.get<{ d: number | null }>(`SELECT MIN(day) AS d FROM ${grains[0].table}`);
  if (oldest?.t == null || first?.d == null) return undefined;
  const oldestDay = Math.floor(Number(oldest.t) / DAY) * DAY;
  return Number(first.d) < oldestDay ? Math.ceil(Number(oldest.t) / DAY) * DAY : undefined;
}

/**
 * Recomputes the stream facts from the normalized rows and the current building map, then the rollups (only
 * of days that still have their records, see rebuildFrom). One transaction: readers see the old numbers or
 * the new ones, never a half-built state.
 */
export async function rebuildRollups(
  db: Db,
  options: { onProgress?: (calls: number) => void } = {},
): Promise<{ calls: number; streams: number }> {
  return db.transaction(async (tx) => {
    const fromDay = await rebuildFrom(tx);
    const dayCond = fromDay === undefined ? '' : ` WHERE day >= ${fromDay}`;
    await tx.run(`DELETE FROM ${factsTable}${dayCond}`);
    await tx.run(`DELETE FROM ${feedbackTable}${dayCond}`);
    const buildings = await loadBuildingMap(tx);
    const startCond = fromDay === undefined ? '' : ` AND start_time >= ${fromDay}`;
    let after = '';
    let calls = 0;
    let streams = 0;
    for (;;) {
      const ids = (
        await tx.all<{ id: string }>(`SELECT id FROM calls WHERE id > ?${startCond} ORDER BY id LIMIT 500`, [
          after,
        ])
      ).map((r) => r.id);
      if (ids.length === 0) break;
      const facts = buildFacts(await loadFactSource(tx, ids), buildings);
      await writeFacts(tx, facts);
      calls += ids.length;
      streams += facts.streams.length;
      after = ids[ids.length - 1];
      options.onProgress?.(calls);
    }
    await rebuildRollupsFromFacts(tx, { fromDay });
    return { calls, streams };
  });
}
