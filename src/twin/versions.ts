// Processing: uploads merged by call id into versions, one timeline per tenant view (organizer sees all).
import type { CallParticipant, TwinCall } from './call-generator.ts';

/** The service merges uploads on a two-minute tick (offset per call), so simultaneous uploads make one version. */
const tickMs = 120_000;
/** Graph keeps call records this long after the call started. */
export const retentionMs = 30 * 86_400_000;

/** When this participant's telemetry is merged into the record, or null if it never arrives. */
export function mergeTime(call: TwinCall, p: CallParticipant): number | null {
  if (p.uploadDelayMs === null) return null;
  const offset = call.salt % tickMs;
  const arrival = call.endMs + p.uploadDelayMs + 60_000;
  return Math.ceil((arrival - offset) / tickMs) * tickMs + offset;
}

/** The tenant whose view holds everything: the organizer's (PSTN: the Teams user's). */
export function organizerTenant(call: TwinCall): string | null {
  return call.participants[0].tenantId;
}

/** Whether the tenant sees the whole call (organizer tenant; either side of a P2P call). */
export function seesAll(call: TwinCall, tenantId: string): boolean {
  if (organizerTenant(call) === tenantId) return true;
  return call.kind === 'peerToPeer' && call.participants.some((p) => p.tenantId === tenantId);
}

/** Participants a tenant's view lists: all for the organizer's view, else only its own users. */
export function visibleParticipants(call: TwinCall, tenantId: string): CallParticipant[] {
  if (seesAll(call, tenantId)) return call.participants;
  return call.participants.filter((p) => p.tenantId === tenantId);
}

/** Tenants that get a record of this call at all (organizer's and every participant's tenant). */
export function viewTenants(call: TwinCall): string[] {
  const out: string[] = [];
  for (const p of call.participants) if (p.tenantId && !out.includes(p.tenantId)) out.push(p.tenantId);
  return out;
}

/** Ascending distinct merge times that change this tenant's view: version k exists from times[k-1]. */
export function viewTimeline(call: TwinCall, tenantId: string): number[] {
  const times = new Set<number>();
  for (const p of visibleParticipants(call, tenantId)) {
    const t = mergeTime(call, p);
    if (t !== null) times.add(t);
  }
  return [...times].sort((a, b) => a - b);
}

export interface ViewVersion {
  version: number;
  /** Uploads merged at or before this time are in the record. */
  cutoffMs: number;
  lastModifiedMs: number;
}

/** The version a tenant sees at `now`, or null if the record does not exist (yet, or any more). */
export function versionAt(call: TwinCall, timeline: readonly number[], now: number): ViewVersion | null {
  if (now >= call.startMs + retentionMs) return null;
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeline[mid] <= now) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return null;
  const cutoffMs = timeline[lo - 1];
  return { version: lo, cutoffMs, lastModifiedMs: cutoffMs + (call.salt % 997) };
}
