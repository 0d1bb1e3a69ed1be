// Analytics rollups kept current at ingest: the record repository calls these inside the transaction
// that replaces a record's rows (remove the old version's contribution, then add the new one's).

import { loadBuildingMap } from './buildings.ts';
import { type Db, insertMany, type SqlValue } from './db.ts';
import {
  accumulateCall,
  type Cell,
  type Cells,
  emptyCells,
  factsByCall,
  reachKeys as reachKeysOf,
} from './rollup-cells.ts';
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

const upsertSql = new Map<string, string>();

function upsertStatement(
  table: string,
  keyCols: readonly string[],
  valCols: readonly string[],
  rows: number,
) {
  const cacheKey = `${table}:${rows}`;
  let sql = upsertSql.get(cacheKey);
  if (!sql) {
    const cols = [...keyCols, ...valCols];
    const one = `(${cols.map(() => '?').join(',')})`;
    sql = `INSERT INTO ${table} (${cols.join(',')}) VALUES ${Array(rows).fill(one).join(',')} ON CONFLICT (${keyCols.join(',')}) DO UPDATE SET ${valCols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;
    upsertSql.set(cacheKey, sql);
  }
  return sql;
}

/** Adds the deltas to one table; then drops the rows a subtraction emptied, so the table equals a rebuild. */
async function applyTable(
  db: Db,
  table: string,
  keyCols: readonly string[],
  valCols: readonly string[],
  countCol: string,
  cells: Map<string, Cell>,
): Promise<void> {
  if (cells.size === 0) return;
  // One lock order for every writer: concurrent collectors on PostgreSQL then never deadlock on rollup rows.
  const sorted = [...cells.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, c]) => c);
  const perRow = keyCols.length + valCols.length;
  const chunk = Math.max(1, Math.min(200, Math.floor(db.capabilities.maxParams / perRow)));
  for (let i = 0; i < sorted.length; i += chunk) {
    const part = sorted.slice(i, i + chunk);
    const params: SqlValue[] = [];
    for (const c of part) params.push(...c.keys, ...c.sums);
    await db.run(upsertStatement(table, keyCols, valCols, part.length), params);
  }
  const shrunk = sorted.filter((c) => c.sums.some((v) => v < 0));
  const kchunk = Math.max(1, Math.min(200, Math.floor(db.capabilities.maxParams / keyCols.length)));
  for (let i = 0; i < shrunk.length; i += kchunk) {
    const part = shrunk.slice(i, i + kchunk);
    // Typed placeholders: PostgreSQL reads untyped VALUES parameters as text.
    const one = `(${keyCols.map((c) => (c === 'day' || c === 'hour' ? 'CAST(? AS BIGINT)' : '?')).join(',')})`;
    await db.run(
      `DELETE FROM ${table} WHERE ${countCol} <= 0 AND (${keyCols.join(',')}) IN (VALUES ${part.map(() => one).join(',')})`,
      part.flatMap((c) => c.keys),
    );
  }
}

export async function applyCells(db: Db, cells: Cells): Promise<void> {
  for (const g of grains) {
    const grainCells = cells.grains.get(g.table);
    if (grainCells) await applyTable(db, g.table, ['day', ...g.dims], sumColumns, 'streams', grainCells);
  }
  await applyTable(
    db,
    reachTable,
    ['dim', 'media_type', 'day', 'value'],
    ['calls', 'call_ms'],
    'calls',
    cells.reach,
  );
}

/** Subtracts everything the call's currently stored rows contributed to the rollups. */
export async function removeCallFromRollups(tx: Db, callId: string): Promise<void> {
  // The stored facts are exactly what was added, whatever the building map or the code says now.
  const facts = await tx.all<StreamFact>(
    `SELECT ${factColumns.join(',')} FROM ${factsTable} WHERE call_id = ?`,
    [callId],
  );
  await tx.run(`DELETE FROM ${factsTable} WHERE call_id = ?`, [callId]);
  await tx.run(`DELETE FROM ${feedbackTable} WHERE call_id = ?`, [callId]);
  if (facts.length === 0) return;
  const cells = emptyCells();
  accumulateCall(cells, facts, -1);
  await applyCells(tx, cells);
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

/** Adds the call's freshly written rows to the rollups. */
export async function addCallToRollups(tx: Db, callId: string): Promise<void> {
  const facts = buildFacts(await loadFactSource(tx, [callId]), await loadBuildingMap(tx));
  await writeFacts(tx, facts);
  if (facts.streams.length === 0) return;
  const cells = emptyCells();
  accumulateCall(cells, facts.streams, 1);
  await applyCells(tx, cells);
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
