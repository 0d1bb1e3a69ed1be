// Per-stream analytics facts: each stream seen from its client ("second") end, with that end's building,
// network, device and client, read from the normalized rows of one or more calls.
import type { BuildingMap } from '../quality/buildings.ts';
import { countedStage } from '../quality/failure-reasons.ts';
import { registeredDomain } from '../quality/registered-domain.ts';
import {
  directionFromSecond,
  type EndDescriptor,
  orderStreamEnds,
  type Side,
} from '../quality/stream-ends.ts';
import type { Db } from './db.ts';
import { type factColumns, type feedbackColumns, poorReasonBits } from './rollup-grains.ts';

export type StreamFact = Record<(typeof factColumns)[number], string | number | null>;
export type FeedbackFact = Record<(typeof feedbackColumns)[number], string | number>;

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface CallPart {
  id: string;
  type: string | null;
  start_time: number | null;
  duration_ms: number | null;
}
interface SessionPart {
  call_id: string;
  session_idx: number;
  modalities: string | null;
  failure_stage: string | null;
  failure_reason: string | null;
}
interface SegmentPart extends SessionPart {
  segment_idx: number;
  start_time: number | null;
}
interface EndpointPart {
  call_id: string;
  session_idx: number;
  segment_idx: number;
  side: string;
  kind: string;
  user_agent_type: string | null;
  platform: string | null;
  product_family: string | null;
  application_version: string | null;
  role: string | null;
  identity_id: string | null;
  feedback_rating: string | null;
  feedback_tokens: string | null;
  /** Graph's endpoint `name`: the key of CQD's endpoint file. */
  device_name: string | null;
}
interface MediaEndpointPart {
  call_id: string;
  session_idx: number;
  segment_idx: number;
  media_idx: number;
  side: string;
  capture_device_name: string | null;
  render_device_name: string | null;
  connection_type: string | null;
  ip_address: string | null;
  subnet: string | null;
  wifi_band: string | null;
  has_network: number | null;
  capture_device_driver: string | null;
  render_device_driver: string | null;
  basic_service_set_identifier: string | null;
  dns_suffix: string | null;
  network_transport_protocol: string | null;
  relay_ip_address: string | null;
  relay_port: number | null;
}
interface StreamPart {
  call_id: string;
  session_idx: number;
  segment_idx: number;
  media_idx: number;
  stream_idx: number;
  media_type: string;
  quality: string;
  poor_reasons: string;
  stream_direction: string | null;
  start_time: number | null;
  end_time: number | null;
  average_jitter_ms: number | null;
  average_packet_loss_rate: number | null;
  average_round_trip_time_ms: number | null;
  average_ratio_of_concealed_samples: number | null;
  audio_codec: string | null;
  video_codec: string | null;
}

/** The slice of the normalized rows the facts are built from. */
export interface FactSource {
  calls: CallPart[];
  sessions: SessionPart[];
  segments: SegmentPart[];
  endpoints: EndpointPart[];
  mediaEndpoints: MediaEndpointPart[];
  streams: StreamPart[];
}

/** Loads the fact source of the given calls (a handful of statements, whatever the number of calls). */
export async function loadFactSource(db: Db, callIds: readonly string[]): Promise<FactSource> {
  const out: FactSource = {
    calls: [],
    sessions: [],
    segments: [],
    endpoints: [],
    mediaEndpoints: [],
    streams: [],
  };
  const chunk = 400;
  for (let i = 0; i < callIds.length; i += chunk) {
    const ids = callIds.slice(i, i + chunk);
    const inList = `(${ids.map(() => '?').join(',')})`;
    const q = <T>(sql: string) => db.all<T>(sql, ids);
    out.calls.push(
      ...(await q<CallPart>(`SELECT id, type, start_time, duration_ms FROM calls WHERE id IN ${inList}`)),
    );
    out.sessions.push(
      ...(await q<SessionPart>(
        `SELECT call_id, session_idx, modalities, failure_stage, failure_reason FROM call_sessions WHERE call_id IN ${inList}`,
      )),
    );
    out.segments.push(
      ...(await q<SegmentPart>(
        `SELECT call_id, session_idx, segment_idx, failure_stage, failure_reason, start_time, NULL AS modalities FROM call_segments WHERE call_id IN ${inList}`,
      )),
    );
    out.endpoints.push(
      ...(await q<EndpointPart>(
        `SELECT call_id, session_idx, segment_idx, side, kind, user_agent_type, platform, product_family, application_version, role, identity_id, feedback_rating, feedback_tokens, device_name FROM call_endpoints WHERE call_id IN ${inList}`,
      )),
    );
    out.mediaEndpoints.push(
      ...(await q<MediaEndpointPart>(
        `SELECT call_id, session_idx, segment_idx, media_idx, side, capture_device_name, render_device_name, connection_type, ip_address, subnet, wifi_band, has_network, capture_device_driver, render_device_driver, basic_service_set_identifier, dns_suffix, network_transport_protocol, relay_ip_address, relay_port FROM call_media_endpoints WHERE call_id IN ${inList}`,
      )),
    );
    out.streams.push(
      ...(await q<StreamPart>(
        `SELECT call_id, session_idx, segment_idx, media_idx, stream_idx, media_type, quality, poor_reasons, stream_direction, start_time, end_time, average_jitter_ms, average_packet_loss_rate, average_round_trip_time_ms, average_ratio_of_concealed_samples, audio_codec, video_codec FROM call_streams WHERE call_id IN ${inList}`,
      )),
    );
  }
  return out;
}

const fixed = (v: number | null, scale: number): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(v * scale) : null;

function poorMask(reasons: string): number {
  let mask = 0;
  for (const r of reasons.split(',')) {
    const bit = poorReasonBits[r as keyof typeof poorReasonBits]?.bit;
    if (bit) mask |= bit;
  }
  return mask;
}

function describe(e: EndpointPart | undefined): EndDescriptor | undefined {
  return e && { kind: e.kind, userAgentType: e.user_agent_type, platform: e.platform, role: e.role };
}

/** Segment endpoints carry the user agent; the session's endpoint fills in what a segment's leaves out. */
function mergedEnd(seg: EndpointPart | undefined, ses: EndpointPart | undefined): EndpointPart | undefined {
  if (!seg) return ses;
  if (!ses) return seg;
  return {
    ...seg,
    kind: seg.kind !== 'unknown' ? seg.kind : ses.kind,
    user_agent_type: seg.user_agent_type ?? ses.user_agent_type,
    platform: seg.platform ?? ses.platform,
    product_family: seg.product_family ?? ses.product_family,
    application_version: seg.application_version ?? ses.application_version,
    role: seg.role ?? ses.role,
    identity_id: seg.identity_id ?? ses.identity_id,
    device_name: seg.device_name ?? ses.device_name,
  };
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const transportOf = (p: string | null | undefined): string => (p === 'udp' || p === 'tcp' ? p : '');

/**
 * 'relay' when the media went through a Teams relay (its address, or its port where retention has cleared the
 * address), 'direct' when the end reported its network without one, '' when it reported no network.
 */
function relayOf(me: MediaEndpointPart): string {
  if (me.relay_ip_address || me.relay_port != null) return 'relay';
  return Number(me.has_network) === 1 || me.ip_address || me.subnet ? 'direct' : '';
}

/** The media type a failed media-less segment stands for: what its session was set up to carry. */
function placeholderMedia(modalities: string | null): string {
  const m = (modalities ?? '').split(',');
  if (m.includes('audio') || m.length === 0 || m[0] === '') return 'audio';
  if (m.includes('video')) return 'video';
  if (m.includes('videoBasedScreenSharing') || m.includes('screenSharing')) return 'vbss';
  return 'other';
}

/**
 * Builds the stream facts and Rate My Call facts of the calls in `src`. Streams between two servers are left
 * out (no client end to describe, as CQD's client reports do). A failed session or segment that carries no
 * stream at all adds one unclassified placeholder stream, so failed setups count in the reliability rates.
 */
export function buildFacts(
  src: FactSource,
  buildings: BuildingMap,
): { streams: StreamFact[]; feedback: FeedbackFact[] } {
  const key = (...parts: (string | number)[]) => parts.join('|');
  const calls = new Map(src.calls.map((c) => [c.id, c]));
  const endpoints = new Map(
    src.endpoints.map((e) => [key(e.call_id, e.session_idx, e.segment_idx, e.side), e]),
  );
  const mediaEnds = new Map(
    src.mediaEndpoints.map((m) => [key(m.call_id, m.session_idx, m.segment_idx, m.media_idx, m.side), m]),
  );
  // A failed segment may carry media (with the client's network) but no stream: its placeholder takes that end.
  const segmentEnds = new Map<string, MediaEndpointPart>();
  for (const m of src.mediaEndpoints) {
    const k = key(m.call_id, m.session_idx, m.segment_idx, m.side);
    if (!segmentEnds.has(k) && (m.connection_type || m.ip_address || m.subnet)) segmentEnds.set(k, m);
  }
  const streamsBySegment = new Map<string, StreamPart[]>();
  for (const s of src.streams) {
    const k = key(s.call_id, s.session_idx, s.segment_idx);
    const list = streamsBySegment.get(k);
    if (list) list.push(s);
    else streamsBySegment.set(k, [s]);
  }
  const facts: StreamFact[] = [];
  const audioBySession = new Map<string, { streams: number; classified: number; poor: number }>();

  const emit = (
    callId: string,
    sessionIdx: number,
    segmentIdx: number,
    stream: StreamPart | undefined,
    mediaType: string,
    failureStage: string | null,
  ) => {
    const call = calls.get(callId);
    const end = (side: Side) =>
      mergedEnd(
        endpoints.get(key(callId, sessionIdx, segmentIdx, side)),
        endpoints.get(key(callId, sessionIdx, -1, side)),
      );
    const caller = end('caller');
    const callee = end('callee');
    const ends = orderStreamEnds(describe(caller), describe(callee));
    if (ends.pair === 'server-server') return;
    const client = ends.second === 'caller' ? caller : callee;
    const me = stream
      ? mediaEnds.get(key(callId, sessionIdx, segmentIdx, stream.media_idx, ends.second))
      : segmentEnds.get(key(callId, sessionIdx, segmentIdx, ends.second));
    const b = me ? buildings.lookup(me.ip_address, me.subnet) : undefined;
    const asset = buildings.assets?.endpoint(client?.device_name);
    const start = call?.start_time ?? stream?.start_time ?? 0;
    const at = new Date(start);
    const quality = stream?.quality ?? 'unclassified';
    const fact: StreamFact = {
      call_id: callId,
      session_idx: sessionIdx,
      segment_idx: segmentIdx,
      media_idx: stream?.media_idx ?? -1,
      stream_idx: stream?.stream_idx ?? -1,
      day: Math.floor(start / DAY) * DAY,
      hour: Math.floor(start / HOUR) * HOUR,
      call_ms: call?.duration_ms ?? 0,
      building: b?.buildingName ?? '',
      city: b?.city ?? '',
      country: b?.country ?? '',
      region: b?.region ?? '',
      subnet: me?.subnet ?? '',
      network_type: me?.connection_type ?? '',
      wifi_band: me?.wifi_band ?? '',
      vpn: b?.vpn || me?.connection_type === 'tunnel' ? 'true' : 'false',
      inside_corp: b?.insideCorp ? 'true' : 'false',
      platform: client?.platform ?? '',
      product_family: client?.product_family ?? '',
      client_version: client?.application_version ?? '',
      capture_device: me?.capture_device_name ?? '',
      render_device: me?.render_device_name ?? '',
      user_id: client?.identity_id ?? '',
      access_point: buildings.assets?.accessPoint(me?.basic_service_set_identifier)?.name ?? '',
      capture_driver: me?.capture_device_driver ?? '',
      render_driver: me?.render_device_driver ?? '',
      isp: registeredDomain(me?.dns_suffix),
      hour_of_day: String(at.getUTCHours()).padStart(2, '0'),
      weekday: weekdays[at.getUTCDay()],
      transport: transportOf(me?.network_transport_protocol),
      relay: me ? relayOf(me) : '',
      codec: (mediaType === 'audio' ? stream?.audio_codec : stream?.video_codec) ?? '',
      endpoint_model: asset?.model ?? '',
      endpoint_type: asset?.type ?? '',
      call_type: call?.type ?? '',
      media_type: mediaType,
      direction: stream ? (directionFromSecond(stream.stream_direction, ends.second) ?? '') : '',
      quality,
      poor_mask: stream && quality === 'poor' ? poorMask(stream.poor_reasons) : 0,
      jitter_us: fixed(stream?.average_jitter_ms ?? null, 1000),
      loss_ppm: fixed(stream?.average_packet_loss_rate ?? null, 1e6),
      rtt_us: fixed(stream?.average_round_trip_time_ms ?? null, 1000),
      concealed_ppm: fixed(stream?.average_ratio_of_concealed_samples ?? null, 1e6),
      stream_ms:
        stream?.start_time != null && stream.end_time != null
          ? Math.max(0, stream.end_time - stream.start_time)
          : 0,
      setup_failed: failureStage === 'callSetup' ? 1 : 0,
      dropped: failureStage === 'midcall' ? 1 : 0,
    };
    facts.push(fact);
    if (mediaType === 'audio') {
      const k = key(callId, sessionIdx);
      const a = audioBySession.get(k) ?? { streams: 0, classified: 0, poor: 0 };
      a.streams++;
      if (quality !== 'unclassified') a.classified++;
      if (quality === 'poor') a.poor++;
      audioBySession.set(k, a);
    }
  };

  const segmentsBySession = new Map<string, SegmentPart[]>();
  for (const g of src.segments) {
    const k = key(g.call_id, g.session_idx);
    const list = segmentsBySession.get(k);
    if (list) list.push(g);
    else segmentsBySession.set(k, [g]);
  }
  for (const session of src.sessions) {
    const segs = segmentsBySession.get(key(session.call_id, session.session_idx)) ?? [];
    // A declined, cancelled, busy, unanswered or policy-blocked session is an outcome, not a failure (no
    // placeholder, no failure counted: src/quality/failure-reasons.ts).
    const sessionStage = countedStage(session.failure_stage, session.failure_reason);
    if (segs.length === 0 && sessionStage)
      emit(
        session.call_id,
        session.session_idx,
        -1,
        undefined,
        placeholderMedia(session.modalities),
        sessionStage,
      );
    for (const seg of segs) {
      // The segment's own failure, else its session's (a session fails as a whole when its only segment does).
      const stage = seg.failure_stage ? countedStage(seg.failure_stage, seg.failure_reason) : sessionStage;
      const streams = streamsBySegment.get(key(seg.call_id, seg.session_idx, seg.segment_idx)) ?? [];
      if (streams.length === 0 && stage)
        emit(
          seg.call_id,
          seg.session_idx,
          seg.segment_idx,
          undefined,
          placeholderMedia(session.modalities),
          stage,
        );
      for (const s of streams) emit(s.call_id, s.session_idx, s.segment_idx, s, s.media_type, stage);
    }
  }

  const feedback: FeedbackFact[] = [];
  for (const e of src.endpoints) {
    if (e.segment_idx !== -1 || !e.feedback_rating) continue;
    const call = calls.get(e.call_id);
    const start = call?.start_time ?? 0;
    let tokens: string[] = [];
    try {
      const parsed: unknown = e.feedback_tokens ? JSON.parse(e.feedback_tokens) : {};
      if (parsed && typeof parsed === 'object')
        tokens = Object.entries(parsed)
          .filter(([, v]) => v === true)
          .map(([k]) => k)
          .sort();
    } catch {
      tokens = [];
    }
    const a = audioBySession.get(key(e.call_id, e.session_idx)) ?? { streams: 0, classified: 0, poor: 0 };
    feedback.push({
      call_id: e.call_id,
      session_idx: e.session_idx,
      side: e.side,
      day: Math.floor(start / DAY) * DAY,
      user_id: e.identity_id ?? '',
      platform: e.platform ?? '',
      rating: e.feedback_rating,
      tokens: tokens.join(','),
      audio_streams: a.streams,
      audio_classified: a.classified,
      audio_poor: a.poor,
    });
  }
  return { streams: facts, feedback };
}
