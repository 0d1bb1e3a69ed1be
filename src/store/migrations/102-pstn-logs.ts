// PSTN (calling plan / Operator Connect) and Direct Routing call log rows, one table each, keyed by Graph's row id.
import type { Migration } from '../migrate.ts';

export const pstnLogsMigration: Migration = {
  id: '102-pstn-logs',
  sql: `
CREATE TABLE pstn_calls (
  id TEXT PRIMARY KEY,
  call_id TEXT,
  user_id TEXT,
  user_principal_name TEXT,
  user_display_name TEXT,
  start_at BIGINT,
  end_at BIGINT,
  duration INTEGER,
  charge DOUBLE PRECISION,
  call_type TEXT,
  currency TEXT,
  callee_number TEXT,
  usage_country_code TEXT,
  tenant_country_code TEXT,
  connection_charge DOUBLE PRECISION,
  caller_number TEXT,
  destination_context TEXT,
  destination_name TEXT,
  conference_id TEXT,
  license_capability TEXT,
  inventory_type TEXT,
  operator_name TEXT,
  call_duration_source TEXT,
  extra TEXT,
  fetched_at BIGINT NOT NULL
);
CREATE INDEX pstn_calls_start ON pstn_calls (start_at);
CREATE TABLE direct_routing_calls (
  id TEXT PRIMARY KEY,
  correlation_id TEXT,
  user_id TEXT,
  user_principal_name TEXT,
  user_display_name TEXT,
  start_at BIGINT,
  invite_at BIGINT,
  failure_at BIGINT,
  end_at BIGINT,
  duration INTEGER,
  call_type TEXT,
  successful_call INTEGER,
  caller_number TEXT,
  callee_number TEXT,
  media_path_location TEXT,
  signaling_location TEXT,
  final_sip_code INTEGER,
  call_end_sub_reason INTEGER,
  final_sip_code_phrase TEXT,
  trunk_fqdn TEXT,
  media_bypass_enabled INTEGER,
  extra TEXT,
  fetched_at BIGINT NOT NULL
);
CREATE INDEX direct_routing_calls_start ON direct_routing_calls (start_at);
`,
};
