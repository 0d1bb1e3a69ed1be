// Migration 301: privacy: the audit log of investigator reads, and the retention job's own bookkeeping.
import type { Migration } from '../migrate.ts';

export const privacyMigration: Migration = {
  id: '301-privacy',
  sql: `
CREATE TABLE audit_log (
  id {{id}},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  via TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject TEXT,
  route TEXT,
  reason TEXT,
  rows_returned BIGINT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE privacy_scrubbed_calls (
  call_id TEXT NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  scrubbed_at BIGINT NOT NULL
);
CREATE TABLE privacy_scrubbed_raw (
  call_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  sha1 TEXT NOT NULL,
  scrubbed_at BIGINT NOT NULL,
  PRIMARY KEY (call_id, version)
);
CREATE TABLE privacy_expired_calls (
  call_id TEXT NOT NULL PRIMARY KEY,
  expired_at BIGINT NOT NULL
);
CREATE TABLE privacy_runs (
  id {{id}},
  started_at BIGINT NOT NULL,
  as_of BIGINT NOT NULL,
  finished_at BIGINT,
  dry_run INTEGER NOT NULL,
  summary TEXT
);
`,
};
