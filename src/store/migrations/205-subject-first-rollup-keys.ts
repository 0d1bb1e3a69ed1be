// Migration 205: the per-subnet, per-device and per-user rollups keyed by their subject before the day (their
// `key` in rollup-grains.ts), so "worst subnets" or "users" group by reading the key in order, without a sort.
import type { Migration } from '../migrate.ts';
import { factSumSql, factsTable, grainKeyColumns, grains, sumColumns } from '../rollup-grains.ts';

function statements(suffix: string): string {
  const out: string[] = [];
  for (const g of grains.filter((x) => x.key && !x.period)) {
    const cols = ['day', ...g.dims];
    out.push(`DROP TABLE IF EXISTS ${g.table};
CREATE TABLE ${g.table} (
  day BIGINT NOT NULL,
${g.dims.map((d) => `  ${d} ${d === 'hour' ? 'BIGINT' : 'TEXT'} NOT NULL,`).join('\n')}
${sumColumns.map((c) => `  ${c} BIGINT NOT NULL,`).join('\n')}
  PRIMARY KEY (${grainKeyColumns(g).join(', ')})
)${suffix};
INSERT INTO ${g.table} (${[...cols, ...sumColumns].join(', ')}) SELECT ${[...cols, ...factSumSql].join(', ')} FROM ${factsTable} GROUP BY ${cols.join(', ')};`);
  }
  return out.join('\n');
}

export const subjectFirstRollupKeysMigration: Migration = {
  id: '205-subject-first-rollup-keys',
  sql: '',
  sqlite: statements(' WITHOUT ROWID'),
  postgres: statements(''),
};
