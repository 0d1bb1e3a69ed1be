// Migration 401 (PostgreSQL only): call_streams and stream_facts become tables range-partitioned by the call's
// start (month partitions are made by src/store/partitions.ts), so retention drops whole months.
// Literal SQL: a migration never changes once shipped.
import type { Migration } from '../migrate.ts';

/**
 * The key of a partitioned table must hold the partition column. stream_facts.day is NOT NULL, so its primary
 * key simply grows by it; call_streams.call_start_time may be NULL (a record without a start), so its key is a
 * unique index, which still enforces uniqueness for every row with a start. Rows without one live in the
 * default partition. Existing rows are copied into the default partition (maintainPartitions then moves them
 * into months); keys and indexes are built after the copy, on the new table, under their old names.
 */
function repartition(table: string, column: string, keyAndIndexes: string[]): string {
  const old = `${table}_unpartitioned`;
  return [
    `ALTER TABLE ${table} RENAME TO ${old}`,
    `CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS) PARTITION BY RANGE (${column})`,
    `CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`,
    `INSERT INTO ${table} SELECT * FROM ${old}`,
    `DROP TABLE ${old}`,
    ...keyAndIndexes,
  ]
    .map((s) => `${s};`)
    .join('\n');
}

export const partitionsMigration: Migration = {
  id: '401-partitions',
  // SQLite keeps plain tables; retention deletes rows there.
  sql: '',
  postgres: [
    repartition('call_streams', 'call_start_time', [
      'CREATE UNIQUE INDEX call_streams_key ON call_streams (call_id, session_idx, segment_idx, media_idx, stream_idx, call_start_time)',
      'CREATE INDEX call_streams_call_start ON call_streams (call_start_time)',
    ]),
    repartition('stream_facts', 'day', [
      'ALTER TABLE stream_facts ADD PRIMARY KEY (call_id, session_idx, segment_idx, media_idx, stream_idx, day)',
      'CREATE INDEX stream_facts_day ON stream_facts (day)',
    ]),
  ].join('\n'),
};
