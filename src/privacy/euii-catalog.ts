// The EUII catalog of the database: every table.column classified, with what retention does to its table.
import { deviceInfoFields, networkInfoFields, streamFields } from '../normalize/graph-names.ts';
import {
  type ColumnRule,
  cols,
  type FieldRule,
  isPersonal,
  metric,
  np,
  type TableEntry,
} from './catalog-types.ts';
import { otherTables } from './euii-catalog-tables.ts';
import { type ShapeName, shapes } from './euii-json.ts';

export type { ColumnRule, TableEntry, TableRule } from './catalog-types.ts';

const euii = (
  graph: string[],
  seed: FieldRule['seed'],
  pseudo: FieldRule['pseudo'] = 'drop',
): ColumnRule => ({
  class: 'euii',
  pseudo,
  graph,
  seed,
});
const ident = (graph: string[], seed: FieldRule['seed']): ColumnRule => ({
  class: 'identifier',
  pseudo: 'token',
  graph,
  seed,
});
/** An id analytics groups users by: tokenized, not cleared, at euiiDays (see FieldRule.expire). */
const userId = (graph: string[], seed: FieldRule['seed']): ColumnRule => ({
  ...ident(graph, seed),
  expire: 'token',
});

/** A normalized metric column classified by the Graph property it is read from. */
function fromShape(shape: ShapeName, fields: readonly { column: string; graph: string }[]) {
  const out: Record<string, ColumnRule> = {};
  for (const f of fields) {
    const rule = shapes[shape].props[f.graph];
    if (rule) out[f.column] = { ...rule, graph: [`${shape}.${f.graph}`] };
  }
  return out;
}

const keys = (...extra: string[]) => cols(np, 'call_id', ...extra);
const orgV2 = 'organizer_v2.identity.*';
const endpoint = (side: string) => [`sessions[].${side}`, `sessions[].segments[].${side}`];

const recordTables: TableEntry[] = [
  {
    table: 'calls',
    rule: { kind: 'call-rows', key: 'id' },
    columns: {
      ...cols(np, 'id', 'version', 'type', 'modalities', 'start_time', 'end_time', 'last_modified_time'),
      ...cols(np, 'organizer_tenant_id', 'organizer_kind', 'view_tenant_id', 'view', 'source', 'received_at'),
      ...cols(np, 'sessions_truncated', 'participants_truncated'),
      ...cols(metric, 'duration_ms', 'participant_count', 'session_count', 'segment_count', 'media_count'),
      ...cols(metric, 'stream_count', 'poor_stream_count'),
      join_web_url: euii(['joinWebUrl'], ['Organizer ObjectID']),
      organizer_id: userId(['organizer_v2.id', `${orgV2}.id`, 'organizer.*.id'], ['Organizer ObjectID']),
      organizer_name: euii([`${orgV2}.displayName`, 'organizer.*.displayName'], ['Organizer UPN']),
      organizer_upn: ident([`${orgV2}.userPrincipalName`], ['Organizer UPN', 'Organizer Sip Uri']),
    },
  },
  {
    table: 'call_participants',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: {
      ...keys('participant_idx', 'tenant_id', 'kind', 'is_organizer', 'administrative_unit_ids'),
      participant_id: userId(['participants_v2[].id'], ['User ObjectID', 'Phone Number']),
      identity_id: userId(
        ['participants_v2[].identity.*.id', 'participants[].*.id'],
        ['User ObjectID', 'Phone Number', 'Auto Attendant Identity', 'Call Queue Identity'],
      ),
      display_name: euii(['participants_v2[].identity.*.displayName'], ['UPN']),
      upn: ident(['participants_v2[].identity.*.userPrincipalName'], ['UPN']),
    },
  },
  {
    table: 'call_sessions',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: {
      ...keys('session_idx', 'session_id', 'start_time', 'end_time', 'modalities', 'is_test'),
      ...cols(np, 'failure_stage', 'failure_reason', 'segments_truncated'),
      segment_count: metric,
      ...Object.fromEntries(
        (['caller', 'callee'] as const).flatMap((s) => [
          ...Object.entries(cols(np, 'kind', 'tenant_id', 'platform', 'product_family', 'role')).map(
            ([c, r]) => [`${s}_${c}`, r],
          ),
          [
            `${s}_identity_id`,
            userId([`sessions[].${s}.associatedIdentity.id`], ['User ObjectID', 'Call Queue Identity']),
          ],
          [`${s}_name`, euii([`sessions[].${s}.associatedIdentity.displayName`], ['UPN'])],
        ]),
      ),
    },
  },
  {
    table: 'call_segments',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: keys(
      'session_idx',
      'segment_idx',
      'segment_id',
      'start_time',
      'end_time',
      'failure_stage',
      'failure_reason',
      'media_count',
    ),
  },
  {
    table: 'call_endpoints',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: {
      ...keys('session_idx', 'segment_idx', 'side', 'kind', 'user_agent_type', 'platform', 'product_family'),
      ...cols(np, 'application_version', 'header_value', 'azure_ad_app_id', 'communication_service_id'),
      ...cols(np, 'role', 'identity_tenant_id', 'identity_kind', 'cpu_name', 'cpu_cores_count'),
      ...cols(np, 'cpu_processor_speed_in_mhz'),
      ...cols(metric, 'feedback_rating', 'feedback_tokens'),
      identity_id: userId(
        [...endpoint('caller').map((p) => `${p}.associatedIdentity.id`), 'sessions[].callee.identity.*.id'],
        ['User ObjectID', 'Auto Attendant Identity', 'Call Queue Identity'],
      ),
      identity_name: euii(
        endpoint('caller').map((p) => `${p}.associatedIdentity.displayName`),
        ['UPN', 'VTC Device Name'],
      ),
      identity_upn: ident(
        endpoint('caller').map((p) => `${p}.associatedIdentity.userPrincipalName`),
        ['UPN'],
      ),
      device_name: euii(
        endpoint('caller').map((p) => `${p}.name`),
        ['Client Endpoint Name', 'VTC Device Name', 'VTC Device Detail'],
      ),
      feedback_text: euii(['sessions[].caller.feedback.text'], ['Feedback Text']),
    },
  },
  {
    table: 'call_media',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: keys('session_idx', 'segment_idx', 'media_idx', 'label', 'media_type', 'stream_count'),
  },
  {
    table: 'call_media_endpoints',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: {
      ...keys('session_idx', 'segment_idx', 'media_idx', 'side', 'has_device', 'has_network'),
      ...fromShape('deviceInfo', deviceInfoFields),
      ...fromShape('networkInfo', networkInfoFields),
    },
  },
  {
    table: 'call_streams',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: {
      ...keys('session_idx', 'segment_idx', 'media_idx', 'stream_idx', 'call_start_time', 'label'),
      ...cols(np, 'media_type', 'start_time', 'end_time'),
      ...cols(metric, 'quality', 'poor_reasons'),
      ...fromShape('stream', streamFields),
    },
  },
  {
    table: 'call_trace_route_hops',
    rule: { kind: 'call-rows', key: 'call_id' },
    columns: {
      ...keys('session_idx', 'segment_idx', 'media_idx', 'side', 'hop_idx'),
      ...cols(metric, 'hop_count', 'round_trip_time_ms'),
      ip_address: euii(['networkInfo.traceRouteHops[].ipAddress'], ['IP Address'], 'ip'),
    },
  },
  {
    table: 'raw_versions',
    rule: { kind: 'raw' },
    columns: {
      ...cols(np, 'call_id', 'version', 'received_at', 'source', 'tenant_id', 'encoding', 'size'),
      sha1: {
        class: 'non-personal',
        note: 'hash of the version as first stored; kept so a re-fetch is a no-op',
      },
      body: { class: 'euii', json: 'record', note: 'compressed Graph JSON, scrubbed by the JSON catalog' },
    },
  },
];

/** Every table calltrove knows, with every column classified. */
export const catalog: readonly TableEntry[] = [...recordTables, ...otherTables()];

const byTable = new Map(catalog.map((t) => [t.table, t]));

export function tableEntry(table: string): TableEntry | undefined {
  return byTable.get(table.toLowerCase());
}

export function columnRule(table: string, column: string): ColumnRule | undefined {
  return tableEntry(table)?.columns[column.toLowerCase()];
}

/** The personal columns of a table (EUII and identifiers). */
export function personalColumns(entry: TableEntry): [string, ColumnRule][] {
  return Object.entries(entry.columns).filter(([, r]) => isPersonal(r.class));
}
