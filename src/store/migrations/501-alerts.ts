// Migration 501: alerts (one row per episode, fire to resolve), their history, mutes, the delivery outbox, and the
// evaluation lease that lets one process at a time evaluate (src/store/alerts.ts).
import type { Migration } from '../migrate.ts';

export const alertsMigration: Migration = {
  id: '501-alerts',
  sql: `
CREATE TABLE alerts (
  id {{id}},
  rule_id TEXT NOT NULL,
  scope_key TEXT NOT NULL,
  scope_label TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  open_key INTEGER,
  started_at BIGINT NOT NULL,
  resolved_at BIGINT,
  value DOUBLE PRECISION,
  threshold DOUBLE PRECISION,
  peak_value DOUBLE PRECISION,
  unit TEXT NOT NULL,
  title TEXT NOT NULL,
  explanation TEXT NOT NULL,
  url TEXT,
  details TEXT,
  notified_at BIGINT,
  notified_value DOUBLE PRECISION,
  acked_at BIGINT,
  acked_by TEXT,
  updated_at BIGINT NOT NULL,
  UNIQUE (rule_id, scope_key, open_key)
);
CREATE INDEX alerts_started ON alerts (started_at);
CREATE TABLE alert_events (
  id {{id}},
  alert_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  value DOUBLE PRECISION,
  actor TEXT,
  note TEXT
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
CREATE TABLE alert_mutes (
  id {{id}},
  rule_id TEXT NOT NULL,
  scope_key TEXT NOT NULL,
  until_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  actor TEXT
);
CREATE TABLE alert_outbox (
  id {{id}},
  delivery_key TEXT NOT NULL UNIQUE,
  alert_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  message TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  first_attempt_at BIGINT,
  last_attempt_at BIGINT,
  lease_token TEXT,
  lease_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX alert_outbox_due ON alert_outbox (state, next_attempt_at);
CREATE TABLE alert_leases (
  name TEXT PRIMARY KEY,
  holder TEXT,
  until_at BIGINT NOT NULL,
  last_run_at BIGINT
);
`,
};
