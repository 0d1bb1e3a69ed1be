// The EUII catalog of every table outside the normalized records: collector, PSTN logs, analytics, privacy.
import {
  factDimColumns,
  factsTable,
  feedbackTable,
  grains,
  metricSums,
  reachTable,
  sumColumns,
} from '../store/rollup-grains.ts';
import { type ColumnRule, cols, metric, np, type TableEntry } from './catalog-types.ts';

/** A user key of an analytics table: tokenized (never cleared) so distinct-user counts and groups survive. */
const userKey: ColumnRule = {
  class: 'identifier',
  pseudo: 'token',
  expire: 'token',
  seed: ['User ObjectID'],
  note: 'tokenized with the pseudonym key once its day is older than euiiDays',
};

/** Each analytics dimension column; a new dimension must be classified here. */
const dimRules: Record<string, ColumnRule> = {
  ...cols(np, 'building', 'city', 'country', 'region', 'subnet', 'network_type', 'wifi_band', 'vpn'),
  ...cols(np, 'inside_corp', 'platform', 'product_family', 'client_version', 'call_type', 'media_type'),
  ...cols(np, 'direction', 'hour', 'day'),
  capture_device: { class: 'non-personal', note: 'device model, a CQD dimension' },
  render_device: { class: 'non-personal', note: 'device model, a CQD dimension' },
  ...cols(np, 'capture_driver', 'render_driver', 'hour_of_day', 'weekday', 'transport', 'relay', 'codec'),
  // Names from the admin's files and the network's domain: asset and network facts, kept as buildings are.
  // The BSSID and the endpoint name they were looked up by stay EUII in the call rows.
  access_point: { class: 'non-personal', note: "the access-point file's AP name (not the BSSID)" },
  isp: { class: 'non-personal', note: 'registered domain of the DNS suffix: the network provider' },
  endpoint_model: { class: 'non-personal', note: "CQD endpoint file's model (not the endpoint name)" },
  endpoint_type: { class: 'non-personal', note: "CQD endpoint file's type (not the endpoint name)" },
  user_id: userKey,
};

function dims(names: readonly string[]): Record<string, ColumnRule> {
  const out: Record<string, ColumnRule> = {};
  for (const n of names) if (dimRules[n]) out[n] = dimRules[n];
  return out;
}

const log = (time: string, orElse?: string) => ({
  kind: 'log' as const,
  time,
  ...(orElse ? { orElse } : {}),
});
const pstnUser = {
  user_id: { class: 'identifier', pseudo: 'token', seed: ['User ObjectID'] },
  user_principal_name: { class: 'identifier', pseudo: 'token', seed: ['UPN'] },
  user_display_name: { class: 'euii', pseudo: 'drop', seed: ['UPN'] },
  caller_number: { class: 'identifier', pseudo: 'token', seed: ['Phone Number'] },
  callee_number: { class: 'identifier', pseudo: 'token', seed: ['Phone Number'] },
} satisfies Record<string, ColumnRule>;

export function otherTables(): TableEntry[] {
  return [
    { table: 'schema_migrations', rule: { kind: 'system' }, columns: cols(np, 'id', 'applied_at') },
    {
      table: 'rollup_pending',
      rule: { kind: 'system' },
      note: 'rollup deltas between a save and their merge into the rollups: milliseconds on PostgreSQL, empty on SQLite',
      columns: {
        ...cols(np, 'id'),
        cells: {
          class: 'identifier',
          note: 'rollup keys (user ids among them) and sums as JSON; merged and deleted right after the save',
        },
      },
    },
    {
      table: 'collector_inbox',
      rule: { kind: 'system' },
      note: 'change notifications (record ids, subscription); pruned by the collector',
      columns: cols(
        np,
        'id',
        'received_at',
        'kind',
        'record_id',
        'change_type',
        'lifecycle_event',
        'subscription_id',
        'body',
      ),
    },
    {
      table: 'work_queue',
      rule: { kind: 'system' },
      note: 'payloads name records by id; errors never carry EUII (house rule)',
      columns: {
        ...cols(np, 'id', 'kind', 'job_key', 'due_at', 'attempts', 'revision', 'lease_token'),
        ...cols(np, 'lease_until', 'payload', 'last_error', 'created_at', 'updated_at'),
      },
    },
    {
      table: 'record_plans',
      rule: { kind: 'call-rows', key: 'record_id' },
      note: "the collector's version plan of a record: ids and times only",
      columns: {
        ...cols(np, 'record_id', 'first_seen_at', 'first_notified_at', 'last_notified_at', 'notify_seq'),
        ...cols(np, 'fetched_seq', 'fetches', 'known_version', 'known_modified_at', 'stored_version'),
        ...cols(np, 'first_stored_at', 'last_fetched_at', 'start_at', 'end_at', 'final_checked'),
        ...cols(np, 'missing_since'),
      },
    },
    { table: 'collector_state', rule: { kind: 'system' }, columns: cols(np, 'name', 'value', 'updated_at') },
    {
      table: 'alerts',
      rule: { kind: 'system' },
      note: 'alert episodes: rule, scope (organization, a building, a cause such as an access point), figures; never a user',
      columns: {
        ...cols(
          np,
          'id',
          'rule_id',
          'scope_key',
          'scope_label',
          'severity',
          'state',
          'open_key',
          'started_at',
        ),
        ...cols(
          np,
          'resolved_at',
          'unit',
          'title',
          'explanation',
          'url',
          'details',
          'notified_at',
          'acked_at',
        ),
        ...cols(np, 'acked_by', 'updated_at'),
        ...cols(metric, 'value', 'threshold', 'peak_value', 'notified_value'),
      },
    },
    {
      table: 'alert_events',
      rule: { kind: 'system' },
      note: "an alert's history; actor is cli, local or an API token's fingerprint; notes are written by calltrove",
      columns: { ...cols(np, 'id', 'alert_id', 'at', 'kind', 'actor', 'note'), value: metric },
    },
    {
      table: 'alert_mutes',
      rule: { kind: 'system' },
      columns: cols(np, 'id', 'rule_id', 'scope_key', 'until_at', 'created_at', 'actor'),
    },
    {
      table: 'alert_outbox',
      rule: { kind: 'system' },
      note: 'alert messages waiting for or done with delivery; errors are stored with channel secrets masked',
      columns: {
        ...cols(np, 'id', 'delivery_key', 'alert_id', 'event_id', 'channel', 'state', 'message', 'attempts'),
        ...cols(
          np,
          'next_attempt_at',
          'first_attempt_at',
          'last_attempt_at',
          'lease_token',
          'lease_until',
          'last_error',
          'created_at',
          'delivered_at',
        ),
      },
    },
    {
      table: 'alert_leases',
      rule: { kind: 'system' },
      columns: cols(np, 'name', 'holder', 'until_at', 'last_run_at'),
    },
    {
      table: 'pstn_calls',
      rule: log('start_at', 'fetched_at'),
      columns: {
        ...cols(np, 'id', 'call_id', 'start_at', 'end_at', 'call_type', 'currency', 'usage_country_code'),
        ...cols(np, 'tenant_country_code', 'destination_context', 'destination_name', 'conference_id'),
        ...cols(np, 'license_capability', 'inventory_type', 'operator_name', 'call_duration_source'),
        ...cols(np, 'fetched_at'),
        ...cols(metric, 'duration', 'charge', 'connection_charge'),
        ...pstnUser,
        extra: { class: 'euii', json: 'pstnRow', note: 'properties Graph added (beta client IPs): scrubbed' },
      },
    },
    {
      table: 'direct_routing_calls',
      rule: log('start_at', 'fetched_at'),
      columns: {
        ...cols(np, 'id', 'correlation_id', 'start_at', 'invite_at', 'failure_at', 'end_at', 'call_type'),
        ...cols(np, 'successful_call', 'media_path_location', 'signaling_location', 'final_sip_code'),
        ...cols(np, 'call_end_sub_reason', 'final_sip_code_phrase', 'trunk_fqdn', 'media_bypass_enabled'),
        ...cols(np, 'fetched_at'),
        ...cols(metric, 'duration'),
        ...pstnUser,
        extra: { class: 'euii', json: 'directRoutingRow', note: 'properties Graph added: scrubbed' },
      },
    },
    {
      table: 'buildings',
      rule: { kind: 'system' },
      note: "the admin's building file: organisational network data (CQD keeps it)",
      columns: {
        ...cols(np, 'idx', 'network_ip', 'network_name', 'network_range', 'building_name', 'ownership_type'),
        ...cols(np, 'building_type', 'building_office_type', 'city', 'zip_code', 'country', 'state'),
        ...cols(np, 'region', 'inside_corp', 'express_route', 'vpn'),
      },
    },
    {
      table: 'access_points',
      rule: { kind: 'system' },
      note: "the admin's access-point file: organisational network data, the tenant's own access points",
      columns: cols(np, 'idx', 'bssid', 'ap_name', 'building_name', 'floor'),
    },
    {
      table: 'endpoint_assets',
      rule: { kind: 'system' },
      note: "the admin's CQD endpoint file: the organisation's devices (asset names, models, labels)",
      columns: cols(
        np,
        'idx',
        'endpoint_name',
        'endpoint_model',
        'endpoint_type',
        'label1',
        'label2',
        'label3',
      ),
    },
    { table: 'analytics_meta', rule: { kind: 'system' }, columns: cols(np, 'key', 'value') },
    {
      table: factsTable,
      rule: { kind: 'facts', key: 'call_id', day: 'day' },
      columns: {
        ...cols(np, 'call_id', 'session_idx', 'segment_idx', 'media_idx', 'stream_idx', 'day', 'hour'),
        ...dims(factDimColumns),
        ...cols(metric, 'call_ms', 'quality', 'poor_mask', 'stream_ms', 'setup_failed', 'dropped'),
        ...cols(metric, ...metricSums.map((m) => m.fact)),
      },
    },
    {
      table: feedbackTable,
      rule: { kind: 'facts', key: 'call_id', day: 'day' },
      columns: {
        ...cols(np, 'call_id', 'session_idx', 'side', 'day', 'platform'),
        ...cols(metric, 'rating', 'tokens', 'audio_streams', 'audio_classified', 'audio_poor'),
        user_id: userKey,
      },
    },
    ...grains.map(
      (g): TableEntry => ({
        table: g.table,
        rule: { kind: 'aggregate', day: 'day' },
        columns: { ...dims(['day', ...g.dims]), ...cols(metric, ...sumColumns) },
      }),
    ),
    {
      table: reachTable,
      rule: { kind: 'aggregate', day: 'day' },
      columns: {
        ...cols(np, 'dim', 'media_type', 'day'),
        ...cols(metric, 'calls', 'call_ms'),
        value: {
          ...userKey,
          only: { column: 'dim', equals: 'user_id' },
          note: 'a user id in the rows counting users',
        },
      },
    },
    {
      table: 'audit_log',
      rule: log('at'),
      note: 'users appear only as tokens; kept for privacy.recordDays',
      columns: {
        ...cols(np, 'id', 'at', 'actor', 'role', 'via', 'action', 'subject_kind', 'subject', 'route'),
        rows_returned: metric,
        reason: { class: 'euii', pseudo: 'drop', note: "the investigator's justification: free text" },
      },
    },
    {
      table: 'privacy_scrubbed_calls',
      rule: { kind: 'call-rows', key: 'call_id' },
      columns: cols(np, 'call_id', 'version', 'received_at', 'scrubbed_at'),
    },
    {
      table: 'privacy_scrubbed_raw',
      rule: { kind: 'call-rows', key: 'call_id' },
      columns: cols(np, 'call_id', 'version', 'sha1', 'scrubbed_at'),
    },
    {
      table: 'privacy_expired_calls',
      rule: { kind: 'system' },
      note: 'ids of records removed at recordDays, so a late copy is removed again',
      columns: cols(np, 'call_id', 'expired_at'),
    },
    {
      table: 'privacy_runs',
      rule: { kind: 'system' },
      note: 'counts per table and field, never values',
      columns: cols(np, 'id', 'started_at', 'as_of', 'finished_at', 'dry_run', 'summary'),
    },
  ];
}
