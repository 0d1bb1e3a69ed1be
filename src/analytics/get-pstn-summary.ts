// PSTN (Calling Plan / Operator Connect) usage and Direct Routing usage and failures, from the collected call logs.
import type { Db, SqlValue } from '../store/db.ts';
import type { ReportWindow } from './quality-query.ts';

export interface PstnSummary {
  pstn: {
    calls: number;
    minutes: number;
    /** Charges per currency. */
    charges: { currency: string; amount: number }[];
    byCallType: { callType: string; calls: number; minutes: number }[];
    byDay: { day: string; calls: number; minutes: number }[];
  };
  directRouting: {
    calls: number;
    successful: number;
    failed: number;
    failurePercent: number | null;
    minutes: number;
    byTrunk: { trunk: string; calls: number; failed: number; failurePercent: number | null }[];
    /** The most frequent final SIP codes of failed calls. */
    failures: { sipCode: number | null; phrase: string | null; count: number }[];
    byDay: { day: string; calls: number; failed: number }[];
  };
}

const DAY = 86_400_000;
const n = (v: unknown) => Number(v ?? 0);
const pct = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);
const dayText = (ms: unknown) => new Date(n(ms)).toISOString().slice(0, 10);

function window(w: ReportWindow): [string, SqlValue[]] {
  const conds = ['start_at IS NOT NULL'];
  const params: SqlValue[] = [];
  if (w.since !== undefined) {
    conds.push('start_at >= ?');
    params.push(w.since);
  }
  if (w.until !== undefined) {
    conds.push('start_at < ?');
    params.push(w.until);
  }
  return [` WHERE ${conds.join(' AND ')}`, params];
}

export async function getPstnSummary(db: Db, w: ReportWindow = {}): Promise<PstnSummary> {
  const [where, params] = window(w);
  const day = `(start_at - (start_at % ${DAY}))`;
  const pstnTypes = await db.all<Record<string, unknown>>(
    `SELECT COALESCE(call_type, '') AS call_type, COUNT(*) AS calls, SUM(duration) AS seconds FROM pstn_calls${where} GROUP BY COALESCE(call_type, '') ORDER BY COUNT(*) DESC`,
    params,
  );
  const charges = await db.all<Record<string, unknown>>(
    `SELECT COALESCE(currency, '') AS currency, SUM(COALESCE(charge, 0) + COALESCE(connection_charge, 0)) AS amount FROM pstn_calls${where} GROUP BY COALESCE(currency, '')`,
    params,
  );
  const pstnDays = await db.all<Record<string, unknown>>(
    `SELECT ${day} AS day, COUNT(*) AS calls, SUM(duration) AS seconds FROM pstn_calls${where} GROUP BY ${day} ORDER BY ${day}`,
    params,
  );
  const trunks = await db.all<Record<string, unknown>>(
    `SELECT COALESCE(trunk_fqdn, '') AS trunk, COUNT(*) AS calls, SUM(CASE WHEN successful_call = 1 THEN 0 ELSE 1 END) AS failed, SUM(duration) AS seconds FROM direct_routing_calls${where} GROUP BY COALESCE(trunk_fqdn, '') ORDER BY COUNT(*) DESC`,
    params,
  );
  const failures = await db.all<Record<string, unknown>>(
    `SELECT final_sip_code AS code, MAX(final_sip_code_phrase) AS phrase, COUNT(*) AS count FROM direct_routing_calls${where} AND (successful_call IS NULL OR successful_call = 0) GROUP BY final_sip_code ORDER BY COUNT(*) DESC LIMIT 20`,
    params,
  );
  const drDays = await db.all<Record<string, unknown>>(
    `SELECT ${day} AS day, COUNT(*) AS calls, SUM(CASE WHEN successful_call = 1 THEN 0 ELSE 1 END) AS failed FROM direct_routing_calls${where} GROUP BY ${day} ORDER BY ${day}`,
    params,
  );
  const drCalls = trunks.reduce((a, t) => a + n(t.calls), 0);
  const drFailed = trunks.reduce((a, t) => a + n(t.failed), 0);
  return {
    pstn: {
      calls: pstnTypes.reduce((a, t) => a + n(t.calls), 0),
      minutes: pstnTypes.reduce((a, t) => a + n(t.seconds), 0) / 60,
      charges: charges.map((c) => ({ currency: String(c.currency), amount: n(c.amount) })),
      byCallType: pstnTypes.map((t) => ({
        callType: String(t.call_type),
        calls: n(t.calls),
        minutes: n(t.seconds) / 60,
      })),
      byDay: pstnDays.map((d) => ({ day: dayText(d.day), calls: n(d.calls), minutes: n(d.seconds) / 60 })),
    },
    directRouting: {
      calls: drCalls,
      successful: drCalls - drFailed,
      failed: drFailed,
      failurePercent: pct(drFailed, drCalls),
      minutes: trunks.reduce((a, t) => a + n(t.seconds), 0) / 60,
      byTrunk: trunks.map((t) => ({
        trunk: String(t.trunk),
        calls: n(t.calls),
        failed: n(t.failed),
        failurePercent: pct(n(t.failed), n(t.calls)),
      })),
      failures: failures.map((f) => ({
        sipCode: f.code === null || f.code === undefined ? null : n(f.code),
        phrase: (f.phrase as string | null) ?? null,
        count: n(f.count),
      })),
      byDay: drDays.map((d) => ({ day: dayText(d.day), calls: n(d.calls), failed: n(d.failed) })),
    },
  };
}
