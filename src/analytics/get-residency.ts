// Visibility and residency: whose view each record is, and the calls whose full telemetry sits in another tenant.
import type { ReadDb, SqlValue } from '../store/db.ts';
import { periodBounds } from './period-bounds.ts';

export interface ResidencyQuery {
  /** This organization's tenant (config.tenantId); without it, each record's fetching tenant stands for it. */
  tenantId?: string | null;
  /** Where this tenant's data is homed (privacy.dataLocation), shown beside the report. */
  dataLocation?: string | null;
  /** Calls that started at or after (epoch ms). */
  since?: number;
  /** Calls that started before (epoch ms). */
  until?: number;
  /** At most this many calls listed (newest first; counts cover all). Default 100. */
  limit?: number;
}

export interface ForeignOrganizedCall {
  id: string;
  startDateTime: string | null;
  endDateTime: string | null;
  organizerTenantId: string;
  /** `participant`: this tenant's partial view; `organizer`/`unknown` when the record came some other way. */
  view: string;
  /** Participants of this tenant in the record. */
  ourParticipants: number;
  participantCount: number;
}

export interface TenantCount {
  tenantId: string;
  calls: number;
  participants: number;
}

export interface ResidencyReport {
  tenantId: string | null;
  dataLocation: string | null;
  /** Records by whose view they are. */
  views: { organizer: number; participant: number; unknown: number };
  /**
   * Calls organized by another tenant with this tenant's users in them: the full record (every participant's
   * telemetry, our users' included) is the organizer tenant's, in that tenant's region, under its retention.
   */
  foreignOrganized: { calls: number; byOrganizerTenant: TenantCount[]; list: ForeignOrganizedCall[] };
  /** Calls organized here with users of other tenants: their full telemetry is held in this store. */
  hostedForeign: { calls: number; byParticipantTenant: TenantCount[] };
}

const ours = 'LOWER(COALESCE(?, c.view_tenant_id))';

function timeFilter(q: ResidencyQuery): { sql: string; params: SqlValue[] } {
  const { conds: parts, params } = periodBounds('c.start_time', q);
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());

export async function getResidency(db: ReadDb, q: ResidencyQuery = {}): Promise<ResidencyReport> {
  const tenant = q.tenantId ?? null;
  const time = timeFilter(q);
  const views = await db.all<{ view: string; n: number }>(
    `SELECT c.view AS view, COUNT(*) AS n FROM calls c WHERE 1 = 1${time.sql} GROUP BY c.view`,
    time.params,
  );
  const viewCount = (v: string) => Number(views.find((r) => r.view === v)?.n ?? 0);
  // Ours: participants of this tenant; foreign: the organizer's tenant is another one.
  const foreign = `c.organizer_tenant_id IS NOT NULL AND LOWER(c.organizer_tenant_id) <> ${ours}`;
  const ourCount = `(SELECT COUNT(*) FROM call_participants p WHERE p.call_id = c.id AND LOWER(p.tenant_id) = ${ours})`;
  const base = `FROM calls c WHERE ${foreign} AND (${ourCount} > 0 OR c.view = 'participant')${time.sql}`;
  const baseParams = [tenant, tenant, ...time.params];
  const list = await db.all<{
    id: string;
    start_time: number | null;
    end_time: number | null;
    organizer_tenant_id: string;
    view: string;
    ours: number;
    participant_count: number;
  }>(
    `SELECT c.id AS id, c.start_time AS start_time, c.end_time AS end_time, c.organizer_tenant_id AS organizer_tenant_id,
       c.view AS view, ${ourCount} AS ours, c.participant_count AS participant_count
     ${base} ORDER BY c.start_time DESC, c.id LIMIT ?`,
    [tenant, ...baseParams, q.limit ?? 100],
  );
  const byOrganizer = await db.all<{ t: string; calls: number; participants: number }>(
    `SELECT c.organizer_tenant_id AS t, COUNT(*) AS calls, SUM(${ourCount}) AS participants
     ${base} GROUP BY c.organizer_tenant_id ORDER BY calls DESC, t`,
    [tenant, ...baseParams],
  );
  const hosted = await db.all<{ t: string; calls: number; participants: number }>(
    `SELECT p.tenant_id AS t, COUNT(DISTINCT c.id) AS calls, COUNT(*) AS participants
     FROM calls c JOIN call_participants p ON p.call_id = c.id
     WHERE c.organizer_tenant_id IS NOT NULL AND LOWER(c.organizer_tenant_id) = ${ours}
       AND p.tenant_id IS NOT NULL AND LOWER(p.tenant_id) <> ${ours}${time.sql}
     GROUP BY p.tenant_id ORDER BY calls DESC, t`,
    [tenant, tenant, ...time.params],
  );
  const hostedCalls = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM calls c WHERE c.organizer_tenant_id IS NOT NULL AND LOWER(c.organizer_tenant_id) = ${ours}
       AND EXISTS (SELECT 1 FROM call_participants p WHERE p.call_id = c.id AND p.tenant_id IS NOT NULL
                   AND LOWER(p.tenant_id) <> ${ours})${time.sql}`,
    [tenant, tenant, ...time.params],
  );
  const counts = (rows: { t: string; calls: number; participants: number }[]) =>
    rows.map((r) => ({ tenantId: r.t, calls: Number(r.calls), participants: Number(r.participants ?? 0) }));
  const byOrganizerTenant = counts(byOrganizer);
  return {
    tenantId: tenant,
    dataLocation: q.dataLocation ?? null,
    views: {
      organizer: viewCount('organizer'),
      participant: viewCount('participant'),
      unknown: viewCount('unknown'),
    },
    foreignOrganized: {
      calls: byOrganizerTenant.reduce((a, r) => a + r.calls, 0),
      byOrganizerTenant,
      list: list.map((r) => ({
        id: r.id,
        startDateTime: iso(r.start_time),
        endDateTime: iso(r.end_time),
        organizerTenantId: r.organizer_tenant_id,
        view: r.view,
        ourParticipants: Number(r.ours),
        participantCount: Number(r.participant_count),
      })),
    },
    hostedForeign: { calls: Number(hostedCalls?.n ?? 0), byParticipantTenant: counts(hosted) },
  };
}
