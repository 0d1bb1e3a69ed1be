// Migration 204: every rollup grain keyed media type first, then day: dashboard questions almost always ask about
// one media type (audio), which then reads one contiguous slice instead of every media type's rows. Tables are
// recreated with the same columns and refilled from the stream facts.
import type { Migration } from '../migrate.ts';
import { factSumSql, factsTable, grains, sumColumns } from '../rollup-grains.ts';

function statements(suffix: string): string {
  const out: string[] = [];
  for (const g of grains.filter((x) => !x.period)) {
    const cols = ['day', ...g.dims];
    const key = ['media_type', 'day', ...g.dims.filter((d) => d !== 'media_type')];
    out.push(`DROP TABLE IF EXISTS ${g.table};
CREATE TABLE ${g.table} (
  day BIGINT NOT NULL,
${g.dims.map((d) => `  ${d} ${d === 'hour' ? 'BIGINT' : 'TEXT'} NOT NULL,`).join('\n')}
${sumColumns.map((c) => `  ${c} BIGINT NOT NULL,`).join('\n')}
  PRIMARY KEY (${key.join(', ')})
)${suffix};
INSERT INTO ${g.table} (${[...cols, ...sumColumns].join(', ')}) SELECT ${[...cols, ...factSumSql].join(', ')} FROM ${factsTable} GROUP BY ${cols.join(', ')};`);
  }
  return out.join('\n');
}

export const mediaFirstRollupKeysMigration: Migration = {
  id: '204-media-first-rollup-keys',
  sql: '',
  sqlite: statements(' WITHOUT ROWID'),
  postgres: statements(''),
};
