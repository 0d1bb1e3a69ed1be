// Migration 202: the rollup grains of src/store/rollup-grains.ts (narrow grains that stay small however many
// streams arrive) replace 201's; they are filled from the stored stream facts in the same step.
import type { Migration } from '../migrate.ts';
import { factSumSql, factsTable, grains, grainTables201, sumColumns } from '../rollup-grains.ts';

function statements(suffix: string): string {
  const out: string[] = [];
  for (const t of new Set([...grainTables201, ...grains.filter((g) => !g.period).map((g) => g.table)]))
    out.push(`DROP TABLE IF EXISTS ${t};`);
  for (const g of grains.filter((x) => !x.period)) {
    const keys = ['day', ...g.dims];
    out.push(`CREATE TABLE ${g.table} (
  day BIGINT NOT NULL,
${g.dims.map((d) => `  ${d} ${d === 'hour' ? 'BIGINT' : 'TEXT'} NOT NULL,`).join('\n')}
${sumColumns.map((c) => `  ${c} BIGINT NOT NULL,`).join('\n')}
  PRIMARY KEY (${keys.join(', ')})
)${suffix};`);
    out.push(
      `INSERT INTO ${g.table} (${[...keys, ...sumColumns].join(', ')}) SELECT ${[...keys, ...factSumSql].join(', ')} FROM ${factsTable} GROUP BY ${keys.join(', ')};`,
    );
  }
  return out.join('\n');
}

export const narrowRollupsMigration: Migration = {
  id: '202-narrow-rollups',
  sql: '',
  // Clustered by key on SQLite, so a day range of a rollup is one contiguous read.
  sqlite: statements(' WITHOUT ROWID'),
  postgres: statements(''),
};
