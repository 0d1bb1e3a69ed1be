// Direct Routing health per SBC (trunk FQDN) and per day, as the admin center's Direct Routing health dashboard
// shows it: attempts, answered, network effectiveness ratio (NER) and answer-seizure ratio (ASR) with the standard
// telephony definitions (ITU-T E.411/E.425), average duration, the final SIP codes and sub-reasons of the calls not
// answered, and where media and signalling ran.
import type { ReadDb, SqlValue } from '../store/db.ts';
import { periodBounds } from './period-bounds.ts';
import type { ReportWindow } from './quality-query.ts';

/**
 * Final SIP codes of calls the network delivered although nobody talked: the user was busy, did not answer,
 * declined, or the caller hung up while it rang. NER counts them as effective; every other unanswered attempt
 * (5xx, 408, 404, 403...) counts against the network.
 */
export const effectiveSipCodes: Readonly<Record<number, EndingKind>> = {
  486: 'busy',
  600: 'busy',
  480: 'noAnswer',
  487: 'cancelled',
  603: 'declined',
};

export type EndingKind = 'answered' | 'busy' | 'noAnswer' | 'cancelled' | 'declined' | 'failure';

export interface SbcHealth {
  /** All call attempts (seizures). */
  calls: number;
  /** successfulCall: answered and connected. */
  answered: number;
  /** Answered, or ended busy, unanswered, declined or cancelled by the caller (effectiveSipCodes). */
  effective: number;
  /** Attempts that neither were answered nor ended in a user's choice: the network's failures. */
  failed: number;
  /** effective / calls × 100. */
  nerPercent: number | null;
  /** answered / calls × 100. */
  asrPercent: number | null;
  /** Mean duration of the answered calls, seconds. */
  averageDurationSeconds: number | null;
  minutes: number;
  /** Share of the attempts with media bypass on, percent. */
  mediaBypassPercent: number | null;
}

export interface DirectRoutingHealth {
  totals: SbcHealth;
  bySbc: (SbcHealth & { trunk: string })[];
  /** One row per SBC and day (UTC), days ascending. */
  bySbcDay: (SbcHealth & { trunk: string; day: string })[];
  /** The calls not answered, by SBC, final SIP code and sub-reason; `effective` ones are user outcomes. */
  endings: {
    trunk: string;
    sipCode: number | null;
    phrase: string | null;
    subReason: number | null;
    kind: EndingKind;
    effective: boolean;
    calls: number;
  }[];
  /** Where each SBC's media and signalling were processed (Microsoft datacenter regions). */
  locations: {
    trunk: string;
    mediaPathLocation: string | null;
    signalingLocation: string | null;
    calls: number;
  }[];
}

const DAY = 86_400_000;
const n = (v: unknown) => Number(v ?? 0);
const pct = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);
const codes = Object.keys(effectiveSipCodes).join(', ');

const sums = `COUNT(*) AS calls,
  SUM(CASE WHEN successful_call = 1 THEN 1 ELSE 0 END) AS answered,
  SUM(CASE WHEN successful_call = 1 OR final_sip_code IN (${codes}) THEN 1 ELSE 0 END) AS effective,
  SUM(CASE WHEN successful_call = 1 THEN COALESCE(duration, 0) ELSE 0 END) AS answered_seconds,
  SUM(COALESCE(duration, 0)) AS seconds,
  SUM(CASE WHEN media_bypass_enabled = 1 THEN 1 ELSE 0 END) AS bypassed`;

function health(r: Record<string, unknown>): SbcHealth {
  const calls = n(r.calls);
  const answered = n(r.answered);
  const effective = n(r.effective);
  return {
    calls,
    answered,
    effective,
    failed: calls - effective,
    nerPercent: pct(effective, calls),
    asrPercent: pct(answered, calls),
    averageDurationSeconds: answered > 0 ? n(r.answered_seconds) / answered : null,
    minutes: n(r.seconds) / 60,
    mediaBypassPercent: pct(n(r.bypassed), calls),
  };
}

function where(w: ReportWindow): [string, SqlValue[]] {
  const { conds, params } = periodBounds('start_at', w);
  conds.unshift('start_at IS NOT NULL');
  return [` WHERE ${conds.join(' AND ')}`, params];
}

export function endingKind(successful: boolean, sipCode: number | null): EndingKind {
  if (successful) return 'answered';
  return (sipCode !== null && effectiveSipCodes[sipCode]) || 'failure';
}

export async function getDirectRoutingHealth(db: ReadDb, w: ReportWindow = {}): Promise<DirectRoutingHealth> {
  const [cond, params] = where(w);
  const trunk = "COALESCE(trunk_fqdn, '')";
  const day = `(start_at - (start_at % ${DAY}))`;
  const from = `FROM direct_routing_calls${cond}`;
  const [totals, bySbc, bySbcDay, endings, locations] = await Promise.all([
    db.all<Record<string, unknown>>(`SELECT ${sums} ${from}`, params),
    db.all<Record<string, unknown>>(
      `SELECT ${trunk} AS trunk, ${sums} ${from} GROUP BY ${trunk} ORDER BY COUNT(*) DESC, ${trunk}`,
      params,
    ),
    db.all<Record<string, unknown>>(
      `SELECT ${trunk} AS trunk, ${day} AS day, ${sums} ${from} GROUP BY ${trunk}, ${day} ORDER BY ${day}, ${trunk}`,
      params,
    ),
    db.all<Record<string, unknown>>(
      `SELECT ${trunk} AS trunk, final_sip_code AS code, MAX(final_sip_code_phrase) AS phrase, call_end_sub_reason AS sub, COUNT(*) AS calls
       ${from} AND (successful_call IS NULL OR successful_call = 0)
       GROUP BY ${trunk}, final_sip_code, call_end_sub_reason ORDER BY COUNT(*) DESC, ${trunk} LIMIT 100`,
      params,
    ),
    db.all<Record<string, unknown>>(
      `SELECT ${trunk} AS trunk, media_path_location AS media, signaling_location AS signaling, COUNT(*) AS calls
       ${from} GROUP BY ${trunk}, media_path_location, signaling_location ORDER BY ${trunk}, COUNT(*) DESC`,
      params,
    ),
  ]);
  const code = (v: unknown) => (v === null || v === undefined ? null : n(v));
  return {
    totals: health(totals[0] ?? {}),
    bySbc: bySbc.map((r) => ({ trunk: String(r.trunk), ...health(r) })),
    bySbcDay: bySbcDay.map((r) => ({
      trunk: String(r.trunk),
      day: new Date(n(r.day)).toISOString().slice(0, 10),
      ...health(r),
    })),
    endings: endings.map((r) => {
      const kind = endingKind(false, code(r.code));
      return {
        trunk: String(r.trunk),
        sipCode: code(r.code),
        phrase: (r.phrase as string | null) ?? null,
        subReason: code(r.sub),
        kind,
        effective: kind !== 'failure',
        calls: n(r.calls),
      };
    }),
    locations: locations.map((r) => ({
      trunk: String(r.trunk),
      mediaPathLocation: (r.media as string | null) ?? null,
      signalingLocation: (r.signaling as string | null) ?? null,
      calls: n(r.calls),
    })),
  };
}
