// Migration 402: the queue of rollup deltas that concurrent writers leave for one merger (postgres/postgres-writes.ts).
// Created on both databases so the schema is the same; only PostgreSQL (several writers) fills it.
import type { Migration } from '../migrate.ts';

export const rollupPendingMigration: Migration = {
  id: '402-rollup-pending',
  sql: `
CREATE TABLE rollup_pending (
  id {{id}},
  cells TEXT
);
`,
};
