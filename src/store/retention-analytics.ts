// Retention of the tables with their own ages: analytics facts and rollups (user keys of old days become keyed
// tokens, so every number stays the same), and the log tables (PSTN logs, the audit log: EUII, then the rows).
import type { Db, SqlValue } from './db.ts';
import { add, countInto, type RetentionRun, type RetentionTable } from './retention-plan.ts';
import { clearColumns } from './retention-records.ts';
import { liveColumns } from './schema-info.ts';

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
  table: string;
  day: string;
  column: string;
  only?: { column: string; equals: string };
  keyColumns: string[];
  sumColumns: string[];
}

async function targets(db: Db, run: RetentionRun): Promise<Target[]> {
  const live = await liveColumns(db);
  const out: Target[] = [];
  for (const t of run.tables) {
    if (t.kind !== 'aggregate' && t.kind !== 'facts') continue;
    const cols = live.filter((c) => c.table === t.table);
    const keyColumns = cols.filter((c) => c.primaryKey).map((c) => c.column);
    for (const c of t.columns) {
      if (c.expire !== 'token') continue;
      out.push({
        table: t.table,
        day: t.day ?? 'day',
        column: c.column,
        only: c.only,
        keyColumns,
        sumColumns: t.metrics.filter((m) => !keyColumns.includes(m)),
      });
    }
  }
  return out;
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
    `SELECT ${[...t.keyColumns, ...t.sumColumns].join(', ')} FROM ${t.table} WHERE ${t.column} = ? AND ${filter}`,
    [value, ...params],
  );
  for (const row of rows) {
    const keyWhere = others.map((c) => `${c} = ?`).join(' AND ');
    const keyParams = others.map((c) => row[c]);
    const merged = await tx.run(
      `UPDATE ${t.table} SET ${t.sumColumns.map((c) => `${c} = ${c} + ?`).join(', ')}
       WHERE ${t.column} = ?${keyWhere ? ` AND ${keyWhere}` : ''}`,
      [...t.sumColumns.map((c) => row[c]), token, ...keyParams],
    );
    const self = `${t.column} = ?${keyWhere ? ` AND ${keyWhere}` : ''}`;
    if (merged.changes > 0) await tx.run(`DELETE FROM ${t.table} WHERE ${self}`, [value, ...keyParams]);
    else await tx.run(`UPDATE ${t.table} SET ${t.column} = ? WHERE ${self}`, [token, value, ...keyParams]);
  }
  return rows.length;
}

/** Replaces user keys of old days in facts and rollups by their keyed tokens; counts rows changed per column. */
export async function tokenizeAnalytics(db: Db, run: RetentionRun, euiiCutoff: number): Promise<void> {
  const lastDay = lastTokenizedDay(euiiCutoff);
  for (const t of await targets(db, run)) {
    const only = t.only ? ` AND ${t.only.column} = ?` : '';
    const filter = `${t.day} <= ? AND ${t.column} <> '' AND ${t.column} NOT LIKE 'pz.%'${only}`;
    const params: SqlValue[] = [lastDay, ...(t.only ? [t.only.equals] : [])];
    const values = await db.all<{ v: string }>(
      `SELECT DISTINCT ${t.column} AS v FROM ${t.table} WHERE ${filter}`,
      params,
    );
    if (values.length === 0) continue;
    const key = `${t.table}.${t.column}`;
    if (run.dryRun) {
      const n = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${filter}`, params);
      add(run.tally.tokenized, key, Number(n?.n ?? 0));
      continue;
    }
    const inKey = t.keyColumns.includes(t.column);
    await db.transaction(async (tx) => {
      for (const { v } of values) {
        const token = run.token(v);
        const clash =
          inKey &&
          (await tx.get(`SELECT 1 AS x FROM ${t.table} WHERE ${t.column} = ? LIMIT 1`, [token])) !==
            undefined;
        const n = clash
          ? await mergeRows(tx, t, v, token, filter, params)
          : (
              await tx.run(`UPDATE ${t.table} SET ${t.column} = ? WHERE ${t.column} = ? AND ${filter}`, [
                token,
                v,
                ...params,
              ])
            ).changes;
        add(run.tally.tokenized, key, n);
      }
    });
    run.tally.touched.add(t.table);
  }
}

function logTime(t: RetentionTable): string {
  if (t.kind !== 'log') throw new Error(`${t.table} is not a log table`);
  return t.orElse ? `COALESCE(${t.time}, ${t.orElse})` : t.time;
}

/** Log tables (PSTN logs, the audit log): EUII cleared after euiiDays, rows removed after recordDays. */
export async function ageLogs(
  db: Db,
  run: RetentionRun,
  euiiCutoff: number,
  recordCutoff: number,
): Promise<void> {
  for (const t of run.tables.filter((x) => x.kind === 'log')) {
    const time = logTime(t);
    await db.transaction(async (tx) => {
      const n = run.dryRun
        ? Number(
            (
              await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${time} < ?`, [
                recordCutoff,
              ])
            )?.n,
          )
        : (await tx.run(`DELETE FROM ${t.table} WHERE ${time} < ?`, [recordCutoff])).changes;
      add(run.tally.removed, t.table, n);
      if (n > 0) run.tally.touched.add(t.table);
      await clearColumns(tx, run, t, { sql: `${time} < ?`, params: [euiiCutoff] });
      for (const c of t.columns)
        if (c.scrub) await scrubJsonColumn(tx, run, t, c.column, c.scrub, time, euiiCutoff);
    });
  }
}

async function scrubJsonColumn(
  tx: Db,
  run: RetentionRun,
  t: RetentionTable,
  col: string,
  scrub: NonNullable<RetentionTable['columns'][number]['scrub']>,
  time: string,
  cutoff: number,
): Promise<void> {
  const rows = await tx.all<{ id: string; v: string }>(
    `SELECT id, ${col} AS v FROM ${t.table} WHERE ${time} < ? AND ${col} IS NOT NULL`,
    [cutoff],
  );
  for (const r of rows) {
    const counts = new Map<string, number>();
    let out: string;
    try {
      out = JSON.stringify(scrub(JSON.parse(r.v), counts));
    } catch {
      // Not JSON: nothing can tell which part is safe, so the whole value goes.
      out = 'null';
      counts.set('(unreadable)', 1);
    }
    countInto(counts, run.tally.cleared, `${t.table}.${col}`);
    if (!run.dryRun && out !== r.v) {
      await tx.run(`UPDATE ${t.table} SET ${col} = ? WHERE id = ?`, [out === 'null' ? null : out, r.id]);
      run.tally.touched.add(t.table);
    }
  }
}
