// The collector's durable tables: notification inbox, work queue, per-record version plans, collector state.
import type { Migration } from '../migrate.ts';

export const collectorMigration: Migration = {
  id: '101-collector',
  sql: `
CREATE TABLE collector_inbox (
  id {{id}},
  received_at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  record_id TEXT,
  change_type TEXT,
  lifecycle_event TEXT,
  subscription_id TEXT,
  body TEXT NOT NULL
);
CREATE TABLE work_queue (
  id {{id}},
  kind TEXT NOT NULL,
  job_key TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  revision INTEGER NOT NULL DEFAULT 0,
  lease_token TEXT,
  lease_until BIGINT,
  payload TEXT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (kind, job_key)
);
CREATE INDEX work_queue_due ON work_queue (due_at);
CREATE TABLE record_plans (
  record_id TEXT PRIMARY KEY,
  first_seen_at BIGINT NOT NULL,
  first_notified_at BIGINT,
  last_notified_at BIGINT,
  notify_seq INTEGER NOT NULL DEFAULT 0,
  fetched_seq INTEGER NOT NULL DEFAULT 0,
  fetches INTEGER NOT NULL DEFAULT 0,
  known_version BIGINT,
  known_modified_at BIGINT,
  stored_version BIGINT,
  first_stored_at BIGINT,
  last_fetched_at BIGINT,
  start_at BIGINT,
  end_at BIGINT,
  final_checked INTEGER NOT NULL DEFAULT 0,
  missing_since BIGINT
);
CREATE INDEX record_plans_final ON record_plans (final_checked, end_at);
CREATE TABLE collector_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`,
};
