// Test support: quality answers computed the slow, obvious way, straight from the normalized rows, to check the
// rollups and the query engine against. Written independently of src/store/stream-facts.ts on purpose.
import { type BuildingMap, createBuildingMap } from '../quality/buildings.ts';
import { listBuildings } from '../store/buildings.ts';
import type { Db } from '../store/db.ts';

export interface BruteStream {
  callId: string;
  callMs: number;
  day: number;
  hour: number;
  dims: Record<string, string>;
  quality: string;
  reasons: string[];
  jitterMs: number | null;
  loss: number | null;
  rttMs: number | null;
  concealed: number | null;
  streamMs: number;
  setupFailed: boolean;
  dropped: boolean;
  /** `call/session`, and the segment's (else the session's) start. */
  session: string;
  at: number;
  /** The failure reason behind setupFailed/dropped. */
  reason: string | null;
}

/** The test records' reasons that are a user's choice (test-call-records.ts), not failures. */
const outcomeReasons = new Set(['RemoteEndpointDeclined']);

type Row = Record<string, string | number | null>;

const rank = ['roomSystem', 'surfaceHub', 'ipPhone', 'holoLens', 'web', 'android', 'iOS', 'macOS', 'windows'];
const rankOf = (p: unknown) => (rank.includes(String(p)) ? rank.indexOf(String(p)) : rank.length);
const isServer = (e: Row | undefined) =>
  !!e && (e.kind === 'service' || e.user_agent_type === 'service' || (e.role ?? '') !== '');

/** Every stream (and failed media-less segment) of the store, described by its client end. */
export async function bruteStreams(db: Db): Promise<BruteStream[]> {
  const map: BuildingMap = createBuildingMap(await listBuildings(db));
  const calls = new Map((await db.all<Row>('SELECT * FROM calls')).map((c) => [c.id, c]));
  const sessions = new Map(
    (await db.all<Row>('SELECT * FROM call_sessions')).map((s) => [`${s.call_id}/${s.session_idx}`, s]),
  );
  const segs = await db.all<Row>('SELECT * FROM call_segments');
  const ends = new Map(
    (await db.all<Row>('SELECT * FROM call_endpoints')).map((e) => [
      `${e.call_id}/${e.session_idx}/${e.segment_idx}/${e.side}`,
      e,
    ]),
  );
  const mes = new Map(
    (await db.all<Row>('SELECT * FROM call_media_endpoints')).map((m) => [
      `${m.call_id}/${m.session_idx}/${m.segment_idx}/${m.media_idx}/${m.side}`,
      m,
    ]),
  );
  const streams = await db.all<Row>('SELECT * FROM call_streams');
  const out: BruteStream[] = [];
  const describe = (seg: Row, stream: Row | undefined) => {
    const call = calls.get(seg.call_id as string) as Row;
    const session = sessions.get(`${seg.call_id}/${seg.session_idx}`) as Row;
    const end = (side: string) => {
      const s = ends.get(`${seg.call_id}/${seg.session_idx}/${seg.segment_idx}/${side}`);
      const ss = ends.get(`${seg.call_id}/${seg.session_idx}/-1/${side}`);
      return s && (s.kind !== 'unknown' || !ss) ? s : ss;
    };
    const caller = end('caller');
    const callee = end('callee');
    if (isServer(caller) && isServer(callee)) return;
    const second = isServer(caller)
      ? 'callee'
      : isServer(callee)
        ? 'caller'
        : rankOf(callee?.platform) < rankOf(caller?.platform)
          ? 'caller'
          : 'callee';
    const client = second === 'caller' ? caller : callee;
    const me = stream
      ? mes.get(`${seg.call_id}/${seg.session_idx}/${seg.segment_idx}/${stream.media_idx}/${second}`)
      : [...mes.values()].find(
          (m) =>
            m.call_id === seg.call_id &&
            m.session_idx === seg.session_idx &&
            m.segment_idx === seg.segment_idx &&
            m.side === second &&
            (m.connection_type ?? m.subnet ?? m.ip_address) !== null,
        );
    const b = me ? map.lookup(me.ip_address as string | null, me.subnet as string | null) : undefined;
    const failed = seg.failure_stage ? seg : session;
    const reason = (failed.failure_reason ?? null) as string | null;
    const stage = outcomeReasons.has(String(reason)) ? null : (failed.failure_stage as string | null);
    const start = Number(call.start_time);
    const direction = !stream
      ? ''
      : (stream.stream_direction === 'callerToCallee') === (second === 'callee')
        ? 'inbound'
        : 'outbound';
    const modalities = String(session.modalities ?? '');
    out.push({
      callId: String(seg.call_id),
      callMs: Number(call.duration_ms ?? 0),
      day: Math.floor(start / 86_400_000) * 86_400_000,
      hour: Math.floor(start / 3_600_000) * 3_600_000,
      dims: {
        building: b?.buildingName ?? '',
        city: b?.city ?? '',
        country: b?.country ?? '',
        region: b?.region ?? '',
        subnet: String(me?.subnet ?? ''),
        network_type: String(me?.connection_type ?? ''),
        wifi_band: String(me?.wifi_band ?? ''),
        vpn: b?.vpn || me?.connection_type === 'tunnel' ? 'true' : 'false',
        inside_corp: b?.insideCorp ? 'true' : 'false',
        platform: String(client?.platform ?? ''),
        product_family: String(client?.product_family ?? ''),
        client_version: String(client?.application_version ?? ''),
        capture_device: String(me?.capture_device_name ?? ''),
        render_device: String(me?.render_device_name ?? ''),
        user_id: String(client?.identity_id ?? ''),
        call_type: String(call.type ?? ''),
        media_type: stream
          ? String(stream.media_type)
          : modalities.includes('audio') || !modalities
            ? 'audio'
            : 'video',
        direction,
      },
      quality: stream ? String(stream.quality) : 'unclassified',
      reasons: stream && stream.quality === 'poor' ? String(stream.poor_reasons).split(',') : [],
      jitterMs: stream ? (stream.average_jitter_ms as number | null) : null,
      loss: stream ? (stream.average_packet_loss_rate as number | null) : null,
      rttMs: stream ? (stream.average_round_trip_time_ms as number | null) : null,
      concealed: stream ? (stream.average_ratio_of_concealed_samples as number | null) : null,
      streamMs:
        stream && stream.start_time != null && stream.end_time != null
          ? Number(stream.end_time) - Number(stream.start_time)
          : 0,
      setupFailed: stage === 'callSetup',
      dropped: stage === 'midcall',
      session: `${seg.call_id}/${seg.session_idx}`,
      at: Number(seg.start_time ?? session.start_time),
      reason: stage ? reason : null,
    });
  };
  const bySeg = new Map<string, Row[]>();
  for (const s of streams) {
    const k = `${s.call_id}/${s.session_idx}/${s.segment_idx}`;
    bySeg.set(k, [...(bySeg.get(k) ?? []), s]);
  }
  for (const seg of segs) {
    const list = bySeg.get(`${seg.call_id}/${seg.session_idx}/${seg.segment_idx}`) ?? [];
    const session = sessions.get(`${seg.call_id}/${seg.session_idx}`) as Row;
    const failure = seg.failure_stage ? seg : session;
    if (list.length === 0 && failure.failure_stage && !outcomeReasons.has(String(failure.failure_reason)))
      describe(seg, undefined);
    for (const s of list) describe(seg, s);
  }
  return out;
}

const networkDims = [
  'building',
  'city',
  'country',
  'region',
  'subnet',
  'network_type',
  'wifi_band',
  'vpn',
  'inside_corp',
];

/**
 * The streams with every failure that has no network of its own given the network of the same user's nearest
 * session within `windowMs` that was set up and not dropped (by session start); `inferred` says which.
 */
export function placeFailures(
  streams: BruteStream[],
  windowMs: number,
): (BruteStream & { inferred: boolean })[] {
  return streams.map((s) => {
    const lost = (s.setupFailed || s.dropped) && s.dims.network_type === '' && s.dims.subnet === '';
    if (!lost || s.dims.user_id === '') return { ...s, inferred: false };
    const near = streams
      .filter(
        (o) =>
          o.dims.user_id === s.dims.user_id &&
          o.session !== s.session &&
          !o.setupFailed &&
          !o.dropped &&
          (o.dims.network_type !== '' || o.dims.subnet !== '') &&
          Math.abs(o.at - s.at) <= windowMs,
      )
      .sort((a, b) => Math.abs(a.at - s.at) - Math.abs(b.at - s.at) || a.at - b.at)[0];
    if (!near) return { ...s, inferred: false };
    const dims = { ...s.dims };
    for (const d of networkDims) dims[d] = near.dims[d];
    return { ...s, dims, inferred: true };
  });
}
