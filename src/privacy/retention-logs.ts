// Retention of tables with their own time (PSTN and Direct Routing logs, the audit log): EUII, then the rows.
import type { Db } from '../store/db.ts';
import type { ColumnRule, TableEntry } from './catalog-types.ts';
import { personalColumns } from './euii-catalog.ts';
import { expirePolicy, type ScrubCounts, scrubJson } from './json-scrub.ts';
import { add, type Counts, clearColumns, countInto, entries, type StepContext } from './retention-steps.ts';

function logTime(t: TableEntry): string {
  if (t.rule.kind !== 'log') throw new Error(`${t.table} is not a log table`);
  return t.table === 'pstn_calls' || t.table === 'direct_routing_calls'
    ? `COALESCE(${t.rule.time}, fetched_at)`
    : t.rule.time;
}

/** Log tables (PSTN logs, the audit log): EUII cleared after euiiDays, rows removed after recordDays. */
export async function ageLogs(
  ctx: StepContext,
  euiiCutoff: number,
  recordCutoff: number,
  cleared: Counts,
  removed: Counts,
): Promise<void> {
  const db = ctx.store.db;
  for (const t of entries(ctx, ['log'])) {
    const time = logTime(t);
    await db.transaction(async (tx) => {
      const n = ctx.dryRun
        ? Number(
            (
              await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${time} < ?`, [
                recordCutoff,
              ])
            )?.n,
          )
        : (await tx.run(`DELETE FROM ${t.table} WHERE ${time} < ?`, [recordCutoff])).changes;
      add(removed, t.table, n);
      if (n > 0) ctx.touched.add(t.table);
      await clearColumns(tx, ctx, t, `${time} < ?`, [euiiCutoff], cleared);
      for (const [col, rule] of personalColumns(t).filter(([, r]) => r.json))
        await scrubJsonColumn(tx, ctx, t, col, rule, time, euiiCutoff, cleared);
    });
  }
}

async function scrubJsonColumn(
  tx: Db,
  ctx: StepContext,
  t: TableEntry,
  col: string,
  rule: ColumnRule,
  time: string,
  cutoff: number,
  cleared: Counts,
): Promise<void> {
  const rows = await tx.all<{ id: string; v: string }>(
    `SELECT id, ${col} AS v FROM ${t.table} WHERE ${time} < ? AND ${col} IS NOT NULL`,
    [cutoff],
  );
  for (const r of rows) {
    const counts: ScrubCounts = new Map();
    let out: string;
    try {
      out = JSON.stringify(
        scrubJson(JSON.parse(r.v), rule.json ?? 'record', expirePolicy(ctx.tokens), counts),
      );
    } catch {
      // Not JSON: nothing can tell which part is safe, so the whole value goes.
      out = 'null';
      counts.set('(unreadable)', 1);
    }
    countInto(counts, cleared, `${t.table}.${col}`);
    if (!ctx.dryRun && out !== r.v) {
      await tx.run(`UPDATE ${t.table} SET ${col} = ? WHERE id = ?`, [out === 'null' ? null : out, r.id]);
      ctx.touched.add(t.table);
    }
  }
}
