// Migration 206: week twins of the per-subnet and per-device rollups (rollup-grains.ts `period:
// 'week'`), filled from their day tables.
import type { Migration } from '../migrate.ts';
import { grainKeyColumns, grains, sumColumns, weekEndSql } from '../rollup-grains.ts';

function statements(suffix: string): string {
  const out: string[] = [];
  for (const g of grains.filter((x) => x.period === 'week')) {
    const day = grains.find((x) => x.table === g.table.replace(/_week$/, ''));
    if (!day) throw new Error(`no day grain for ${g.table}`);
    out.push(`CREATE TABLE ${g.table} (
  day BIGINT NOT NULL,
${g.dims.map((d) => `  ${d} TEXT NOT NULL,`).join('\n')}
${sumColumns.map((c) => `  ${c} BIGINT NOT NULL,`).join('\n')}
  PRIMARY KEY (${grainKeyColumns(g).join(', ')})
)${suffix};
INSERT INTO ${g.table} (${['day', ...g.dims, ...sumColumns].join(', ')}) SELECT ${[weekEndSql('day'), ...g.dims, ...sumColumns.map((c) => `SUM(${c})`)].join(', ')} FROM ${day.table} GROUP BY ${[weekEndSql('day'), ...g.dims].join(', ')};`);
  }
  return out.join('\n');
}

export const weekRollupsMigration: Migration = {
  id: '206-week-rollups',
  sql: '',
  sqlite: statements(' WITHOUT ROWID'),
  postgres: statements(''),
};
