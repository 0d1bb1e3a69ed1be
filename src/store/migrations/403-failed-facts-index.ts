// Migration 403: an index of the failed stream facts by day, so reliability reads its few failures (about 1% of the
// streams) without scanning the window. Numbered after 401 because 401 rebuilds stream_facts on PostgreSQL and
// keeps only the indexes it names; a partial index on the partitioned table reaches every partition.
import type { Migration } from '../migrate.ts';

export const failedFactsIndexMigration: Migration = {
  id: '403-failed-facts-index',
  sql: 'CREATE INDEX stream_facts_failed ON stream_facts (day) WHERE setup_failed = 1 OR dropped = 1;',
};
