// PSTN (Calling Plan / Operator Connect) usage and Direct Routing health, from the collected call logs.
import type { ReadDb, SqlValue } from '../store/db.ts';
import { type DirectRoutingHealth, getDirectRoutingHealth } from './get-direct-routing-health.ts';
import { periodBounds } from './period-bounds.ts';
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
  /** Direct Routing health per SBC and day (get-direct-routing-health.ts). */
  directRouting: DirectRoutingHealth;
}

const DAY = 86_400_000;
const n = (v: unknown) => Number(v ?? 0);
const dayText = (ms: unknown) => new Date(n(ms)).toISOString().slice(0, 10);

function window(w: ReportWindow): [string, SqlValue[]] {
  const { conds, params } = periodBounds('start_at', w);
  conds.unshift('start_at IS NOT NULL');
  return [` WHERE ${conds.join(' AND ')}`, params];
}

export async function getPstnSummary(db: ReadDb, w: ReportWindow = {}): Promise<PstnSummary> {
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
    directRouting: await getDirectRoutingHealth(db, w),
  };
}
