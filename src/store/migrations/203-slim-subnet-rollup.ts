// Migration 203: rollup_subnet without its users' network columns (they multiplied its rows), refilled from the
// stream facts; and an index so the distinct-call rollup finds a few values of one dimension without a scan.
import type { Migration } from '../migrate.ts';
import { factSumSql, factsTable, grains, reachTable, sumColumns } from '../rollup-grains.ts';

const grain = grains.find((g) => g.name === 'subnet');
if (!grain) throw new Error('the subnet grain is gone: write a new migration instead of editing 203');
const keys = ['day', ...grain.dims];

function statements(suffix: string): string {
  return `DROP TABLE IF EXISTS ${grain?.table};
CREATE TABLE ${grain?.table} (
  day BIGINT NOT NULL,
${grain?.dims.map((d) => `  ${d} TEXT NOT NULL,`).join('\n')}
${sumColumns.map((c) => `  ${c} BIGINT NOT NULL,`).join('\n')}
  PRIMARY KEY (${keys.join(', ')})
)${suffix};
INSERT INTO ${grain?.table} (${[...keys, ...sumColumns].join(', ')}) SELECT ${[...keys, ...factSumSql].join(', ')} FROM ${factsTable} GROUP BY ${keys.join(', ')};
CREATE INDEX ${reachTable}_value ON ${reachTable} (dim, media_type, value, day);`;
}

export const slimSubnetRollupMigration: Migration = {
  id: '203-slim-subnet-rollup',
  sql: '',
  sqlite: statements(' WITHOUT ROWID'),
  postgres: statements(''),
};
