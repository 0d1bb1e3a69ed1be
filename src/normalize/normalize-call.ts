// A parsed call record -> its rows (call, participants, sessions, segments, endpoints, media, streams, hops).
import { durationToMs } from '../graph/duration.ts';
import type { CallRecord, Endpoint, FailureInfo, Media, Participant, Session } from '../graph/types.ts';
import { classifyStream, mediaTypeOf } from '../quality/classify-stream.ts';
import {
  type FlatIdentity,
  flattenIdentity,
  identityFromSet,
  kindOfIdentityType,
  mergeIdentity,
  noIdentity,
} from './identity.ts';
import { mediaEndpointRow, streamRow } from './metric-rows.ts';
import type { CallRows, EndpointRow, ParticipantRow, StreamRow } from './rows.ts';

export interface NormalizeContext {
  /** The tenant whose Graph returned the record. */
  tenantId?: string | null;
  source?: string | null;
  /** Epoch ms the record was received. */
  receivedAt: number;
}

export type Side = 'caller' | 'callee';
type Loose = Record<string, unknown>;

export function timeMs(value: string | null | undefined): number | null {
  if (value == null) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): number | null => (typeof v === 'boolean' ? (v ? 1 : 0) : null);

/** The view: the organizer tenant's own record, a participant tenant's, or unknown (no fetching tenant given). */
export function recordView(
  tenantId: string | null | undefined,
  organizerTenantId: string | null,
): 'organizer' | 'participant' | 'unknown' {
  if (!tenantId) return 'unknown';
  return organizerTenantId && organizerTenantId.toLowerCase() === tenantId.toLowerCase()
    ? 'organizer'
    : 'participant';
}

function organizerOf(record: CallRecord): FlatIdentity & { participantId: string | null } {
  const v2 = record.organizer_v2;
  if (v2) {
    const identity = identityFromSet(v2.identity as Loose | null | undefined);
    return { ...identity, participantId: v2.id ?? identity.id };
  }
  const identity = identityFromSet(record.organizer as Loose | null | undefined);
  return { ...identity, participantId: identity.id };
}

function participantRows(record: CallRecord, organizer: FlatIdentity): ParticipantRow[] {
  const v2 = record.participants_v2;
  const entries: Array<{ participantId: string | null; identity: FlatIdentity; units: string | null }> = [];
  if (v2 && v2.length > 0) {
    for (const p of v2 as Participant[]) {
      const identity = identityFromSet(p.identity as Loose | null | undefined);
      const units = p.administrativeUnitInfos
        ?.map((u) => u.id)
        .filter((id): id is string => typeof id === 'string')
        .join(',');
      entries.push({ participantId: p.id ?? identity.id, identity, units: units || null });
    }
  } else {
    for (const set of record.participants ?? []) {
      const identity = identityFromSet(set);
      entries.push({ participantId: identity.id, identity, units: null });
    }
  }
  return entries.map((e, i) => ({
    call_id: record.id,
    participant_idx: i,
    participant_id: e.participantId,
    identity_id: e.identity.id,
    display_name: e.identity.displayName,
    upn: e.identity.upn,
    tenant_id: e.identity.tenantId,
    kind: e.identity.kind,
    // Match on the identity's id: a participant_v2 id is not always the person's (see the Graph sample).
    is_organizer: organizer.id !== null && (e.identity.id ?? e.participantId) === organizer.id ? 1 : 0,
    administrative_unit_ids: e.units,
  }));
}

function endpointKind(endpoint: Endpoint): 'participant' | 'service' | 'unknown' {
  const t = (str(endpoint['@odata.type']) ?? '').toLowerCase();
  if (t.includes('participantendpoint')) return 'participant';
  if (t.includes('serviceendpoint')) return 'service';
  const uaType = (str(endpoint.userAgent?.['@odata.type']) ?? '').toLowerCase();
  if (uaType.includes('serviceuseragent')) return 'service';
  if (endpoint.associatedIdentity || endpoint.identity || uaType.includes('clientuseragent'))
    return 'participant';
  return 'unknown';
}

function userAgentType(endpoint: Endpoint): string | null {
  const ua = endpoint.userAgent;
  if (!ua) return null;
  const t = (str(ua['@odata.type']) ?? '').toLowerCase();
  if (t.includes('clientuseragent')) return 'client';
  if (t.includes('serviceuseragent')) return 'service';
  if (ua.role != null) return 'service';
  if (ua.platform != null || ua.productFamily != null) return 'client';
  return null;
}

function endpointRow(
  callId: string,
  sessionIdx: number,
  segmentIdx: number,
  side: Side,
  endpoint: Endpoint | null | undefined,
): EndpointRow {
  const e: Endpoint = endpoint ?? {};
  const ua = e.userAgent;
  const associated = e.associatedIdentity
    ? flattenIdentity(e.associatedIdentity, kindOfIdentityType(e.associatedIdentity['@odata.type']))
    : noIdentity;
  const identity = mergeIdentity(associated, identityFromSet(e.identity as Loose | null | undefined));
  const feedback = e.feedback;
  return {
    call_id: callId,
    session_idx: sessionIdx,
    segment_idx: segmentIdx,
    side,
    kind: endpoint ? endpointKind(e) : 'unknown',
    user_agent_type: userAgentType(e),
    platform: str(ua?.platform),
    product_family: str(ua?.productFamily),
    application_version: str(ua?.applicationVersion),
    header_value: str(ua?.headerValue),
    azure_ad_app_id: str(ua?.azureADAppId),
    communication_service_id: str(ua?.communicationServiceId),
    role: str(ua?.role),
    identity_id: identity.id,
    identity_name: identity.displayName,
    identity_tenant_id: identity.tenantId,
    identity_upn: identity.upn,
    identity_kind: identity.kind,
    device_name: str(e.name),
    cpu_name: str(e.cpuName),
    cpu_cores_count: num(e.cpuCoresCount),
    cpu_processor_speed_in_mhz: num(e.cpuProcessorSpeedInMhz),
    feedback_rating: str(feedback?.rating),
    feedback_text: str(feedback?.text),
    feedback_tokens: feedback?.tokens ? JSON.stringify(feedback.tokens) : null,
  };
}

function failure(info: FailureInfo | null | undefined): { stage: string | null; reason: string | null } {
  return { stage: str(info?.stage), reason: str(info?.reason) };
}

/** Turns one parsed call record into its rows; pure (no I/O), deterministic for the same input. */
export function normalizeCallRecord(record: CallRecord, ctx: NormalizeContext): CallRows {
  const callId = record.id;
  const callStart = timeMs(record.startDateTime);
  const organizer = organizerOf(record);
  const rows: CallRows = {
    call: undefined as unknown as CallRows['call'],
    participants: participantRows(record, organizer),
    sessions: [],
    segments: [],
    endpoints: [],
    media: [],
    mediaEndpoints: [],
    streams: [],
    hops: [],
  };
  let poorStreams = 0;
  (record.sessions ?? []).forEach((session: Session, si) => {
    const caller = endpointRow(callId, si, -1, 'caller', session.caller);
    const callee = endpointRow(callId, si, -1, 'callee', session.callee);
    rows.endpoints.push(caller, callee);
    const f = failure(session.failureInfo);
    const segments = session.segments ?? [];
    rows.sessions.push({
      call_id: callId,
      session_idx: si,
      session_id: session.id ?? null,
      start_time: timeMs(session.startDateTime),
      end_time: timeMs(session.endDateTime),
      modalities: session.modalities?.join(',') ?? null,
      is_test: bool(session.isTest),
      failure_stage: f.stage,
      failure_reason: f.reason,
      caller_kind: caller.kind,
      caller_identity_id: caller.identity_id,
      caller_name: caller.identity_name,
      caller_tenant_id: caller.identity_tenant_id,
      caller_platform: caller.platform,
      caller_product_family: caller.product_family,
      caller_role: caller.role,
      callee_kind: callee.kind,
      callee_identity_id: callee.identity_id,
      callee_name: callee.identity_name,
      callee_tenant_id: callee.identity_tenant_id,
      callee_platform: callee.platform,
      callee_product_family: callee.product_family,
      callee_role: callee.role,
      segment_count: segments.length,
      segments_truncated: session['segments@odata.nextLink'] ? 1 : 0,
    });
    segments.forEach((segment, gi) => {
      rows.endpoints.push(
        endpointRow(callId, si, gi, 'caller', segment.caller),
        endpointRow(callId, si, gi, 'callee', segment.callee),
      );
      const sf = failure(segment.failureInfo);
      const media = segment.media ?? [];
      rows.segments.push({
        call_id: callId,
        session_idx: si,
        segment_idx: gi,
        segment_id: segment.id ?? null,
        start_time: timeMs(segment.startDateTime),
        end_time: timeMs(segment.endDateTime),
        failure_stage: sf.stage,
        failure_reason: sf.reason,
        media_count: media.length,
      });
      media.forEach((m: Media, mi) => {
        const label = str(m.label);
        const streams = m.streams ?? [];
        rows.media.push({
          call_id: callId,
          session_idx: si,
          segment_idx: gi,
          media_idx: mi,
          label,
          media_type: mediaTypeOf(label),
          stream_count: streams.length,
        });
        const keys = { call_id: callId, session_idx: si, segment_idx: gi, media_idx: mi };
        for (const [side, device, network] of [
          ['caller', m.callerDevice, m.callerNetwork],
          ['callee', m.calleeDevice, m.calleeNetwork],
        ] as const) {
          rows.mediaEndpoints.push(mediaEndpointRow({ ...keys, side }, device, network));
          (network?.traceRouteHops ?? []).forEach((hop, hi) => {
            rows.hops.push({
              ...keys,
              side,
              hop_idx: hi,
              hop_count: num(hop.hopCount),
              ip_address: str(hop.ipAddress),
              round_trip_time_ms: durationToMs(hop.roundTripTime) ?? null,
            });
          });
        }
        streams.forEach((stream, ti) => {
          const row = streamRow(
            {
              ...keys,
              stream_idx: ti,
              call_start_time: callStart,
              label,
              start_time: timeMs(stream.startDateTime),
              end_time: timeMs(stream.endDateTime),
            },
            stream,
          ) as Loose;
          const c = classifyStream(label, {
            audioCodec: row.audio_codec as string | null,
            averageJitterMs: row.average_jitter_ms as number | null,
            averageRoundTripTimeMs: row.average_round_trip_time_ms as number | null,
            averagePacketLossRate: row.average_packet_loss_rate as number | null,
            averageAudioDegradation: row.average_audio_degradation as number | null,
            averageRatioOfConcealedSamples: row.average_ratio_of_concealed_samples as number | null,
            averageVideoFrameLossPercentage: row.average_video_frame_loss_percentage as number | null,
            averageReceivedFrameRate: row.average_received_frame_rate as number | null,
            averageVideoFrameRate: row.average_video_frame_rate as number | null,
            postForwardErrorCorrectionPacketLossRate: row.post_forward_error_correction_packet_loss_rate as
              | number
              | null,
            packetUtilization: row.packet_utilization as number | null,
          });
          row.media_type = c.mediaType;
          row.quality = c.quality;
          row.poor_reasons = c.poorReasons.join(',');
          if (c.quality === 'poor') poorStreams++;
          rows.streams.push(row as StreamRow);
        });
      });
    });
  });
  const endTime = timeMs(record.endDateTime);
  rows.call = {
    id: callId,
    version: record.version,
    type: str(record.type),
    modalities: record.modalities?.join(',') ?? null,
    start_time: callStart,
    end_time: endTime,
    duration_ms: callStart !== null && endTime !== null ? endTime - callStart : null,
    last_modified_time: timeMs(record.lastModifiedDateTime),
    join_web_url: str(record.joinWebUrl),
    organizer_id: organizer.participantId,
    organizer_name: organizer.displayName,
    organizer_upn: organizer.upn,
    organizer_tenant_id: organizer.tenantId,
    organizer_kind: organizer.kind,
    view_tenant_id: ctx.tenantId ?? null,
    view: recordView(ctx.tenantId, organizer.tenantId),
    participant_count: rows.participants.length,
    session_count: rows.sessions.length,
    segment_count: rows.segments.length,
    media_count: rows.media.length,
    stream_count: rows.streams.length,
    poor_stream_count: poorStreams,
    sessions_truncated: record['sessions@odata.nextLink'] ? 1 : 0,
    participants_truncated: record['participants_v2@odata.nextLink'] ? 1 : 0,
    source: ctx.source ?? null,
    received_at: ctx.receivedAt,
  };
  return rows;
}
