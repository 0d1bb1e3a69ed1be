// The PSTN usage list an investigator reads (the admin center's PSTN usage report): one row per Calling Plan or
// Operator Connect call with its user, number type, numbers, duration and charge, or per Direct Routing call with
// its SBC, final SIP code and outcome; newest first, paged.
import type { ReadDb } from '../store/db.ts';
import { type EndingKind, endingKind } from './get-direct-routing-health.ts';
import { periodBounds } from './period-bounds.ts';

export interface PstnListQuery {
  since?: number;
  until?: number;
  /** Entra object id or UPN (case-insensitive). */
  user?: string;
  limit?: number;
  offset?: number;
}

export interface PstnCallRow {
  id: string;
  startDateTime: string | null;
  endDateTime: string | null;
  userId: string | null;
  userPrincipalName: string | null;
  userDisplayName: string | null;
  /** user_in, user_out, emergency, conference dial-out... as Graph names them. */
  callType: string | null;
  /** The phone number's inventory type (Subscriber, Service, Toll free...). */
  numberType: string | null;
  licenseCapability: string | null;
  callerNumber: string | null;
  calleeNumber: string | null;
  destinationName: string | null;
  usageCountryCode: string | null;
  durationSeconds: number | null;
  /** Graph reports charges for Calling Plan calls only; null where it has none. */
  charge: number | null;
  connectionCharge: number | null;
  currency: string | null;
  operator: string | null;
  callDurationSource: string | null;
}

export interface DirectRoutingCallRow {
  id: string;
  startDateTime: string | null;
  endDateTime: string | null;
  userId: string | null;
  userPrincipalName: string | null;
  userDisplayName: string | null;
  callType: string | null;
  trunk: string | null;
  callerNumber: string | null;
  calleeNumber: string | null;
  durationSeconds: number | null;
  successfulCall: boolean | null;
  finalSipCode: number | null;
  finalSipCodePhrase: string | null;
  callEndSubReason: number | null;
  outcome: EndingKind;
  mediaPathLocation: string | null;
  signalingLocation: string | null;
  mediaBypassEnabled: boolean | null;
}

export interface PstnCallList<T> {
  calls: T[];
  /** Rows matching the filters in all (for paging). */
  total: number;
}

type Row = Record<string, string | number | null>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown) => (v === null || v === undefined ? null : Number(v) === 1);

/** The fields both call logs have, first in each of their rows. */
const callOf = (r: Row) => ({
  id: String(r.id),
  startDateTime: iso(r.start_at),
  endDateTime: iso(r.end_at),
  userId: text(r.user_id),
  userPrincipalName: text(r.user_principal_name),
  userDisplayName: text(r.user_display_name),
  callType: text(r.call_type),
});

async function page(db: ReadDb, table: string, q: PstnListQuery): Promise<{ rows: Row[]; total: number }> {
  const { conds, params } = periodBounds('start_at', q);
  conds.unshift('start_at IS NOT NULL');
  if (q.user) {
    conds.push('(user_id = ? OR LOWER(user_principal_name) = ?)');
    params.push(q.user, q.user.toLowerCase());
  }
  const where = ` WHERE ${conds.join(' AND ')}`;
  const [rows, count] = await Promise.all([
    db.all<Row>(`SELECT * FROM ${table}${where} ORDER BY start_at DESC, id LIMIT ? OFFSET ?`, [
      ...params,
      q.limit ?? 50,
      q.offset ?? 0,
    ]),
    db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}${where}`, params),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function listPstnCalls(db: ReadDb, q: PstnListQuery = {}): Promise<PstnCallList<PstnCallRow>> {
  const { rows, total } = await page(db, 'pstn_calls', q);
  return {
    total,
    calls: rows.map((r) => ({
      ...callOf(r),
      numberType: text(r.inventory_type),
      licenseCapability: text(r.license_capability),
      callerNumber: text(r.caller_number),
      calleeNumber: text(r.callee_number),
      destinationName: text(r.destination_name),
      usageCountryCode: text(r.usage_country_code),
      durationSeconds: num(r.duration),
      charge: num(r.charge),
      connectionCharge: num(r.connection_charge),
      currency: text(r.currency),
      operator: text(r.operator_name),
      callDurationSource: text(r.call_duration_source),
    })),
  };
}

export async function listDirectRoutingCalls(
  db: ReadDb,
  q: PstnListQuery = {},
): Promise<PstnCallList<DirectRoutingCallRow>> {
  const { rows, total } = await page(db, 'direct_routing_calls', q);
  return {
    total,
    calls: rows.map((r) => ({
      ...callOf(r),
      trunk: text(r.trunk_fqdn),
      callerNumber: text(r.caller_number),
      calleeNumber: text(r.callee_number),
      durationSeconds: num(r.duration),
      successfulCall: bool(r.successful_call),
      finalSipCode: num(r.final_sip_code),
      finalSipCodePhrase: text(r.final_sip_code_phrase),
      callEndSubReason: num(r.call_end_sub_reason),
      outcome: endingKind(bool(r.successful_call) === true, num(r.final_sip_code)),
      mediaPathLocation: text(r.media_path_location),
      signalingLocation: text(r.signaling_location),
      mediaBypassEnabled: bool(r.media_bypass_enabled),
    })),
  };
}
