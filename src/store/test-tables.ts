// Test support: every normalized, raw and analytics table of a database as sorted JSON lines, to compare two
// databases (or one before and after a rebuild) whatever order rows were written in.
import { tables } from '../normalize/rows.ts';
import type { Db } from './db.ts';
import { factsTable, feedbackTable, grains, reachTable } from './rollup-grains.ts';

export const recordTables = [
  ...Object.values(tables),
  'raw_versions',
  factsTable,
  feedbackTable,
  reachTable,
  ...grains.map((g) => g.table),
];

/** Raw bodies are left out (the same text may be compressed differently); their sha1 and size stay. */
export async function tableSnapshot(
  db: Db,
  list: readonly string[] = recordTables,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of list) {
    const rows = await db.all<Record<string, unknown>>(`SELECT * FROM ${t}`);
    out[t] = rows
      .map((r) => {
        const entries = Object.entries(r)
          .filter(([k]) => k !== 'body')
          .sort(([a], [b]) => a.localeCompare(b))
          // Sums of fractions depend on the order they were added in (PostgreSQL imports several batches at
          // once): compared to 12 significant digits.
          .map(([k, v]) => [
            k,
            typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
          ]);
        return JSON.stringify(entries);
      })
      .sort();
  }
  return out;
}
