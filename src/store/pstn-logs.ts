// The PSTN and Direct Routing log repository: rows upserted by Graph's row id, one typed column per documented property.
import type { DirectRoutingLogRow, PstnCallLogRow } from '../graph/types.ts';
import type { Db, SqlValue } from './db.ts';

type Kind = 'text' | 'int' | 'real' | 'time' | 'bool';

/** [column, Graph property, how to store it]. */
const pstnColumns: [string, string, Kind][] = [
  ['call_id', 'callId', 'text'],
  ['user_id', 'userId', 'text'],
  ['user_principal_name', 'userPrincipalName', 'text'],
  ['user_display_name', 'userDisplayName', 'text'],
  ['start_at', 'startDateTime', 'time'],
  ['end_at', 'endDateTime', 'time'],
  ['duration', 'duration', 'int'],
  ['charge', 'charge', 'real'],
  ['call_type', 'callType', 'text'],
  ['currency', 'currency', 'text'],
  ['callee_number', 'calleeNumber', 'text'],
  ['usage_country_code', 'usageCountryCode', 'text'],
  ['tenant_country_code', 'tenantCountryCode', 'text'],
  ['connection_charge', 'connectionCharge', 'real'],
  ['caller_number', 'callerNumber', 'text'],
  ['destination_context', 'destinationContext', 'text'],
  ['destination_name', 'destinationName', 'text'],
  ['conference_id', 'conferenceId', 'text'],
  ['license_capability', 'licenseCapability', 'text'],
  ['inventory_type', 'inventoryType', 'text'],
  ['operator_name', 'operator', 'text'],
  ['call_duration_source', 'callDurationSource', 'text'],
];

const directRoutingColumns: [string, string, Kind][] = [
  ['correlation_id', 'correlationId', 'text'],
  ['user_id', 'userId', 'text'],
  ['user_principal_name', 'userPrincipalName', 'text'],
  ['user_display_name', 'userDisplayName', 'text'],
  ['start_at', 'startDateTime', 'time'],
  ['invite_at', 'inviteDateTime', 'time'],
  ['failure_at', 'failureDateTime', 'time'],
  ['end_at', 'endDateTime', 'time'],
  ['duration', 'duration', 'int'],
  ['call_type', 'callType', 'text'],
  ['successful_call', 'successfulCall', 'bool'],
  ['caller_number', 'callerNumber', 'text'],
  ['callee_number', 'calleeNumber', 'text'],
  ['media_path_location', 'mediaPathLocation', 'text'],
  ['signaling_location', 'signalingLocation', 'text'],
  ['final_sip_code', 'finalSipCode', 'int'],
  ['call_end_sub_reason', 'callEndSubReason', 'int'],
  ['final_sip_code_phrase', 'finalSipCodePhrase', 'text'],
  ['trunk_fqdn', 'trunkFullyQualifiedDomainName', 'text'],
  ['media_bypass_enabled', 'mediaBypassEnabled', 'bool'],
];

/** Graph writes `0001-01-01T00:00:00Z` for "no such time" (e.g. failureDateTime of a successful call). */
function toTime(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) || t < Date.UTC(1971, 0, 1) ? null : t;
}

function value(v: unknown, kind: Kind): SqlValue {
  if (v === undefined || v === null) return null;
  switch (kind) {
    case 'time':
      return toTime(v);
    case 'bool':
      return v === true ? 1 : v === false ? 0 : null;
    case 'int':
    case 'real':
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    default:
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

async function upsertRows(
  db: Db,
  table: string,
  mapping: [string, string, Kind][],
  rows: readonly Record<string, unknown>[],
  now: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  const known = new Set(['id', ...mapping.map(([, prop]) => prop)]);
  const cols = ['id', ...mapping.map(([c]) => c), 'extra', 'fetched_at'];
  const perRow = cols.length;
  const chunk = Math.max(1, Math.min(200, Math.floor(db.capabilities.maxParams / perRow)));
  const update = cols
    .filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  const rowSql = `(${cols.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    // A page may repeat a row id (overlapping pulls); the last copy wins, as an upsert would.
    const part = [...new Map(rows.slice(i, i + chunk).map((r) => [String(r.id), r])).values()];
    const params: SqlValue[] = [];
    for (const r of part) {
      params.push(String(r.id));
      for (const [, prop, kind] of mapping) params.push(value(r[prop], kind));
      const extra = Object.fromEntries(
        Object.entries(r).filter(([k]) => !known.has(k) && !k.startsWith('@odata')),
      );
      params.push(Object.keys(extra).length ? JSON.stringify(extra) : null, now);
    }
    await db.run(
      `INSERT INTO ${table} (${cols.join(',')}) VALUES ${Array(part.length).fill(rowSql).join(',')}
       ON CONFLICT (id) DO UPDATE SET ${update}`,
      params,
    );
  }
  return rows.length;
}

export function upsertPstnCalls(db: Db, rows: readonly PstnCallLogRow[], now: number): Promise<number> {
  return upsertRows(db, 'pstn_calls', pstnColumns, rows as readonly Record<string, unknown>[], now);
}

export function upsertDirectRoutingCalls(
  db: Db,
  rows: readonly DirectRoutingLogRow[],
  now: number,
): Promise<number> {
  return upsertRows(
    db,
    'direct_routing_calls',
    directRoutingColumns,
    rows as readonly Record<string, unknown>[],
    now,
  );
}

export async function countPstnLogs(db: Db): Promise<{ pstn: number; directRouting: number }> {
  const a = await db.get<{ c: number }>('SELECT COUNT(*) AS c FROM pstn_calls');
  const b = await db.get<{ c: number }>('SELECT COUNT(*) AS c FROM direct_routing_calls');
  return { pstn: Number(a?.c ?? 0), directRouting: Number(b?.c ?? 0) };
}

export interface PstnLogRepository {
  /** Upserts PSTN (Calling Plan, Operator Connect) rows by Graph's row id; returns the rows given. */
  upsertPstn(rows: readonly PstnCallLogRow[], now: number): Promise<number>;
  /** Upserts Direct Routing rows by Graph's row id; returns the rows given. */
  upsertDirectRouting(rows: readonly DirectRoutingLogRow[], now: number): Promise<number>;
  counts(): Promise<{ pstn: number; directRouting: number }>;
}

export function createPstnLogRepository(db: Db): PstnLogRepository {
  return {
    upsertPstn: (rows, now) => upsertPstnCalls(db, rows, now),
    upsertDirectRouting: (rows, now) => upsertDirectRoutingCalls(db, rows, now),
    counts: () => countPstnLogs(db),
  };
}
