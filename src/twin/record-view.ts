// Renders a call model as one tenant sees it at one version: Graph's JSON shapes, other tenants' devices blanked.
import type { CallParticipant, TwinCall } from './call-generator.ts';
import {
  type CallModel,
  type End,
  failureReasons,
  type MediaModel,
  type SegmentModel,
  type SessionModel,
} from './call-model.ts';
import type { JsonObject } from './telemetry.ts';
import { mergeTime, seesAll, type ViewVersion, visibleParticipants } from './versions.ts';

const ns = '#microsoft.graph.callRecords';

/** How much of one participant a view shows. */
type Detail = 'full' | 'foreign' | 'pending';

export interface View {
  model: CallModel;
  tenantId: string;
  version: ViewVersion;
}

function detailOf(view: View, p: CallParticipant): Detail {
  const merged = mergeTime(view.model.call, p);
  if (merged === null || merged > view.version.cutoffMs) return 'pending';
  return p.tenantId && p.tenantId !== view.tenantId ? 'foreign' : 'full';
}

const iso = (ms: number) => new Date(ms).toISOString();

function userIdentity(p: CallParticipant, withUpn: boolean): JsonObject {
  const base: JsonObject = { id: p.id, displayName: p.displayName, tenantId: p.tenantId };
  if (withUpn && p.user) base.userPrincipalName = p.user.userPrincipalName;
  return base;
}

/** communicationsIdentitySet of a participant: user, guest (anonymous) or phone. */
export function identitySet(p: CallParticipant, withUpn: boolean): JsonObject {
  if (p.kind === 'phone')
    return {
      user: null,
      acsUser: null,
      spoolUser: null,
      phone: { id: p.id, displayName: null, tenantId: null },
    };
  if (p.kind === 'guest') return { guest: { id: p.id, displayName: p.displayName, tenantId: null } };
  return { user: userIdentity(p, withUpn) };
}

function endpoint(view: View, end: End): JsonObject {
  if ('service' in end)
    return {
      '@odata.type': `${ns}.serviceEndpoint`,
      userAgent: {
        '@odata.type': `${ns}.serviceUserAgent`,
        headerValue: end.headerValue,
        applicationVersion: null,
        role: end.service,
      },
    };
  const p = end.participant;
  const detail = detailOf(view, p);
  const d = p.device;
  const shown = detail === 'full';
  const out: JsonObject = {
    '@odata.type': `${ns}.participantEndpoint`,
    name: shown ? (d?.machineName ?? null) : '',
    cpuName: shown ? (d?.cpuName ?? null) : '',
    cpuCoresCount: shown ? (d?.cpuCoresCount ?? null) : null,
    cpuProcessorSpeedInMhz: shown ? (d?.cpuProcessorSpeedInMhz ?? null) : null,
    userAgent: {
      '@odata.type': `${ns}.clientUserAgent`,
      headerValue: d?.headerValue ?? null,
      applicationVersion: d?.clientVersion ?? null,
      platform: d?.platform ?? 'unknown',
      productFamily: 'teams',
      azureADAppId: null,
      communicationServiceId: null,
    },
    associatedIdentity:
      p.kind === 'phone'
        ? null
        : { '@odata.type': '#microsoft.graph.userIdentity', ...userIdentity(p, true) },
    // Deprecated (Graph stops filling it in mid-2026) but still sent, as the published samples show.
    identity: { '@odata.type': '#microsoft.graph.identitySet', ...identitySet(p, false) },
  };
  const feedback = view.model.telemetry[p.index].feedback;
  if (feedback && detail === 'full') out.feedback = feedback;
  return out;
}

function sideData(
  view: View,
  end: End,
  media: MediaModel,
): { device: JsonObject | null; network: JsonObject | null } {
  if ('service' in end) return { device: null, network: media.serverNetwork };
  const detail = detailOf(view, end.participant);
  const t = view.model.telemetry[end.participant.index];
  if (detail === 'full') return { device: t.device, network: t.network };
  if (detail === 'foreign' && t.network)
    return {
      device: null,
      network: {
        connectionType: t.network.connectionType,
        networkTransportProtocol: t.network.networkTransportProtocol,
        wifiBand: t.network.wifiBand,
        wifiRadioType: t.network.wifiRadioType,
        traceRouteHops: [],
      },
    };
  return { device: null, network: null };
}

function reported(view: View, s: { caller: End; callee: End }): boolean {
  return [s.caller, s.callee].some((e) => 'participant' in e && detailOf(view, e.participant) !== 'pending');
}

function failureInfo(call: TwinCall, failure: CallParticipant['failure']): JsonObject | null {
  if (!failure) return null;
  const reasons = failureReasons[failure];
  return { stage: failure, reason: reasons[call.salt % reasons.length] };
}

function segmentJson(view: View, seg: SegmentModel): JsonObject {
  const media = reported(view, seg)
    ? seg.media.map((m) => {
        const caller = sideData(view, seg.caller, m);
        const callee = sideData(view, seg.callee, m);
        return {
          label: m.label,
          callerDevice: caller.device,
          calleeDevice: callee.device,
          callerNetwork: caller.network,
          calleeNetwork: callee.network,
          streams: m.streams,
        };
      })
    : [];
  return {
    id: seg.id,
    startDateTime: iso(seg.startMs),
    endDateTime: iso(seg.endMs),
    caller: endpoint(view, seg.caller),
    callee: endpoint(view, seg.callee),
    failureInfo: failureInfo(view.model.call, seg.failure),
    media,
  };
}

/** The sessions a tenant's view lists, in order. */
export function visibleSessions(view: View): SessionModel[] {
  if (seesAll(view.model.call, view.tenantId)) return view.model.sessions;
  return view.model.sessions.filter((s) => s.owners.some((p) => p.tenantId === view.tenantId));
}

export function sessionJson(view: View, s: SessionModel, withSegments: boolean): JsonObject {
  const out: JsonObject = {
    id: s.id,
    modalities: s.modalities,
    startDateTime: iso(s.startMs),
    endDateTime: iso(s.endMs),
    isTest: false,
    caller: endpoint(view, s.caller),
    callee: endpoint(view, s.callee),
    failureInfo: failureInfo(view.model.call, s.failure),
  };
  if (withSegments) out.segments = s.segments.map((seg) => segmentJson(view, seg));
  return out;
}

const identityKinds = [
  'acsUser',
  'spoolUser',
  'phone',
  'guest',
  'encrypted',
  'onPremises',
  'acsApplicationInstance',
  'spoolApplicationInstance',
  'applicationInstance',
  'application',
  'device',
  'user',
] as const;

/** A participants_v2 entry: the full communicationsIdentitySet, every kind but the participant's own null. */
export function participantJson(p: CallParticipant): JsonObject {
  const own = identitySet(p, true);
  const identity: JsonObject = {};
  for (const kind of identityKinds) identity[kind] = own[kind] ?? null;
  if (identity.user)
    identity.user = { '@odata.type': '#microsoft.graph.userIdentity', ...(identity.user as JsonObject) };
  return { id: p.id, identity, administrativeUnitInfos: [] };
}

/** participants_v2 of the view. */
export function visibleParticipantList(view: View): CallParticipant[] {
  return visibleParticipants(view.model.call, view.tenantId);
}

/** The organizer as every tenant sees it: the display name is never hidden. Inbound PSTN: the phone. */
export function organizerJson(call: TwinCall): JsonObject {
  const p =
    call.kind === 'pstn' || call.kind === 'directRouting'
      ? call.outbound
        ? call.participants[0]
        : call.participants[1]
      : call.participants[0];
  return { id: p.id, identity: identitySet(p, false) };
}

export function callType(call: TwinCall): string {
  if (call.kind === 'peerToPeer') return 'peerToPeer';
  if (call.kind === 'pstn' || call.kind === 'directRouting') return call.outbound ? 'peerToPeer' : 'unknown';
  return 'groupCall';
}

/** Modalities of the sessions a tenant sees, from the call plan (no model needed: lists stay cheap). */
export function callModalities(call: TwinCall, tenantId: string): string[] {
  const people =
    call.kind === 'peerToPeer' || seesAll(call, tenantId)
      ? call.participants
      : visibleParticipants(call, tenantId);
  const out = ['audio'];
  if (call.kind === 'pstn' || call.kind === 'directRouting') return out;
  if (people.some((p) => p.video) || (call.kind === 'peerToPeer' && call.participants.some((p) => p.video)))
    out.push('video');
  const sharing =
    call.kind === 'peerToPeer' ? call.participants[0].share : call.participants.some((p) => p.share);
  if (sharing && people.length > 0) out.push('videoBasedScreenSharing');
  return out;
}

/** The callRecord entity's own properties (what the list returns per item). */
export function recordCore(
  call: TwinCall,
  tenantId: string,
  version: ViewVersion,
  baseUrl: string,
  withDeprecatedOrganizer: boolean,
): JsonObject {
  const organizer = organizerJson(call);
  const out: JsonObject = {
    id: call.id,
    version: version.version,
    type: callType(call),
    modalities: callModalities(call, tenantId),
    lastModifiedDateTime: iso(version.lastModifiedMs),
    startDateTime: iso(call.startMs),
    endDateTime: iso(call.endMs),
    joinWebUrl: call.joinWebUrl,
  };
  if (withDeprecatedOrganizer) out.organizer = organizer.identity;
  out['organizer_v2@odata.context'] =
    `${baseUrl}/$metadata#communications/callRecords('${call.id}')/organizer_v2/$entity`;
  out.organizer_v2 = organizer;
  return out;
}
