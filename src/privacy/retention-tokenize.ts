// Retention of analytics tables: user keys of old days become keyed tokens, so every number stays the same.
import type { Db, SqlValue } from '../store/db.ts';
import { liveColumns } from '../store/schema-info.ts';
import type { TableEntry } from './catalog-types.ts';
import { catalog } from './euii-catalog.ts';
import { add, type Counts, type StepContext } from './retention-steps.ts';

const DAY = 86_400_000;

/**
 * Facts and rollups are bucketed by the day the call started. Every row of a day that holds any call ended
 * before the cutoff is tokenized: that is the cutoff's own UTC day and all before it. A whole day at a time,
 * so a fact and the rollup rows it was added to always carry the same key (a later version of the call then
 * subtracts from the right row).
 */
export function lastTokenizedDay(euiiCutoff: number): number {
  return Math.floor(euiiCutoff / DAY) * DAY;
}

interface Target {
  entry: TableEntry;
  column: string;
  where?: string;
  keyColumns: string[];
  sumColumns: string[];
}

async function targets(ctx: StepContext): Promise<Target[]> {
  const live = await liveColumns(ctx.store.db);
  const out: Target[] = [];
  for (const entry of catalog) {
    if ((entry.rule.kind !== 'aggregate' && entry.rule.kind !== 'facts') || !ctx.tables.has(entry.table))
      continue;
    const cols = live.filter((c) => c.table === entry.table);
    for (const [column, rule] of Object.entries(entry.columns)) {
      if (rule.expire !== 'token') continue;
      out.push({
        entry,
        column,
        where: rule.where,
        keyColumns: cols.filter((c) => c.primaryKey).map((c) => c.column),
        sumColumns: Object.entries(entry.columns)
          .filter(([c, r]) => r.class === 'metric' && !cols.find((l) => l.column === c)?.primaryKey)
          .map(([c]) => c),
      });
    }
  }
  return out;
}

function dayColumn(t: Target): string {
  const r = t.entry.rule;
  return r.kind === 'aggregate' || r.kind === 'facts' ? r.day : 'day';
}

/**
 * A rollup row whose tokenized key already exists (a late call added the raw key again after its day was
 * tokenized) is folded into that row: sums added, the raw row deleted. Aggregates are sums, so nothing changes.
 */
async function mergeRows(
  tx: Db,
  t: Target,
  value: string,
  token: string,
  filter: string,
  params: SqlValue[],
) {
  const others = t.keyColumns.filter((c) => c !== t.column);
  const rows = await tx.all<Record<string, SqlValue>>(
    `SELECT ${[...t.keyColumns, ...t.sumColumns].join(', ')} FROM ${t.entry.table} WHERE ${t.column} = ? AND ${filter}`,
    [value, ...params],
  );
  for (const row of rows) {
    const keyWhere = others.map((c) => `${c} = ?`).join(' AND ');
    const keyParams = others.map((c) => row[c]);
    const merged = await tx.run(
      `UPDATE ${t.entry.table} SET ${t.sumColumns.map((c) => `${c} = ${c} + ?`).join(', ')}
       WHERE ${t.column} = ?${keyWhere ? ` AND ${keyWhere}` : ''}`,
      [...t.sumColumns.map((c) => row[c]), token, ...keyParams],
    );
    const self = `${t.column} = ?${keyWhere ? ` AND ${keyWhere}` : ''}`;
    if (merged.changes > 0) await tx.run(`DELETE FROM ${t.entry.table} WHERE ${self}`, [value, ...keyParams]);
    else
      await tx.run(`UPDATE ${t.entry.table} SET ${t.column} = ? WHERE ${self}`, [token, value, ...keyParams]);
  }
  return rows.length;
}

/** Replaces user keys of old days in facts and rollups by their keyed tokens; counts rows changed per column. */
export async function tokenizeAnalytics(
  ctx: StepContext,
  euiiCutoff: number,
  tokenized: Counts,
): Promise<void> {
  const db = ctx.store.db;
  const lastDay = lastTokenizedDay(euiiCutoff);
  for (const t of await targets(ctx)) {
    const filter = `${dayColumn(t)} <= ? AND ${t.column} <> '' AND ${t.column} NOT LIKE 'pz.%'${t.where ? ` AND ${t.where}` : ''}`;
    const values = await db.all<{ v: string }>(
      `SELECT DISTINCT ${t.column} AS v FROM ${t.entry.table} WHERE ${filter}`,
      [lastDay],
    );
    if (values.length === 0) continue;
    const key = `${t.entry.table}.${t.column}`;
    if (ctx.dryRun) {
      const n = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.entry.table} WHERE ${filter}`, [
        lastDay,
      ]);
      add(tokenized, key, Number(n?.n ?? 0));
      continue;
    }
    const tokens = ctx.tokens;
    const inKey = t.keyColumns.includes(t.column);
    await db.transaction(async (tx) => {
      for (const { v } of values) {
        const token = tokens.token(v);
        const clash =
          inKey &&
          (await tx.get(`SELECT 1 AS x FROM ${t.entry.table} WHERE ${t.column} = ? LIMIT 1`, [token])) !==
            undefined;
        const n = clash
          ? await mergeRows(tx, t, v, token, filter, [lastDay])
          : (
              await tx.run(
                `UPDATE ${t.entry.table} SET ${t.column} = ? WHERE ${t.column} = ? AND ${filter}`,
                [token, v, lastDay],
              )
            ).changes;
        add(tokenized, key, n);
      }
    });
    ctx.touched.add(t.entry.table);
  }
}
