// One call in detail, nested as Graph nests it, rebuilt from the normalized rows (durations also in ms).

import { durationToMs } from '../graph/duration.ts';
import {
  deviceInfoFields,
  type MetricField,
  networkInfoFields,
  streamFields,
} from '../normalize/graph-names.ts';
import type { CallRows, EndpointRow, HopRow, MediaEndpointRow, StreamRow } from '../normalize/rows.ts';
import type { CallDetail, JsonObject, JsonValue, RecordView } from './call-views.ts';

export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Milliseconds as Graph's ISO-8601 duration text, e.g. 15 -> "PT0.015S". */
export function durationText(ms: number): string {
  return `PT${Number((ms / 1000).toFixed(7))}S`;
}

const list = (csv: string | null): string[] => (csv ? csv.split(',').filter(Boolean) : []);
const bool = (v: number | null): boolean | null => (v === null ? null : v !== 0);

/** Copies metric columns back under Graph's names; a duration gives both `name` (text) and `nameMs`. */
function metrics(row: Record<string, unknown>, fields: readonly MetricField[], out: JsonObject): JsonObject {
  for (const f of fields) {
    const v = row[f.column] as string | number | null | undefined;
    if (f.conversion === 'duration') {
      out[f.graph] = typeof v === 'number' ? durationText(v) : null;
      out[`${f.graph}Ms`] = typeof v === 'number' ? v : null;
    } else if (f.conversion === 'bool') out[f.graph] = bool((v as number | null) ?? null);
    else out[f.graph] = v ?? null;
  }
  return out;
}

function identityJson(id: string | null, name: string | null, tenant: string | null, upn: string | null) {
  return { id, displayName: name, tenantId: tenant, userPrincipalName: upn };
}

function endpointJson(e: EndpointRow | undefined): JsonObject | null {
  if (!e || (e.kind === 'unknown' && e.user_agent_type === null && e.identity_id === null)) return null;
  const out: JsonObject = {};
  if (e.kind !== 'unknown') out['@odata.type'] = `#microsoft.graph.callRecords.${e.kind}Endpoint`;
  const ua: JsonObject = {};
  if (e.user_agent_type) ua['@odata.type'] = `#microsoft.graph.callRecords.${e.user_agent_type}UserAgent`;
  Object.assign(ua, {
    headerValue: e.header_value,
    applicationVersion: e.application_version,
    ...(e.user_agent_type === 'service'
      ? { role: e.role }
      : {
          platform: e.platform,
          productFamily: e.product_family,
          azureADAppId: e.azure_ad_app_id,
          communicationServiceId: e.communication_service_id,
        }),
  });
  Object.assign(out, {
    name: e.device_name,
    cpuName: e.cpu_name,
    cpuCoresCount: e.cpu_cores_count,
    cpuProcessorSpeedInMhz: e.cpu_processor_speed_in_mhz,
    userAgent: ua,
    associatedIdentity:
      e.identity_id === null && e.identity_name === null
        ? null
        : identityJson(e.identity_id, e.identity_name, e.identity_tenant_id, e.identity_upn),
    feedback:
      e.feedback_rating === null && e.feedback_text === null && e.feedback_tokens === null
        ? null
        : {
            rating: e.feedback_rating,
            text: e.feedback_text,
            tokens: e.feedback_tokens ? (JSON.parse(e.feedback_tokens) as JsonValue) : null,
          },
  });
  return out;
}

function networkJson(me: MediaEndpointRow | undefined, hops: HopRow[]): JsonObject | null {
  if (!me?.has_network) return null;
  const out = metrics(me, networkInfoFields, {});
  out.traceRouteHops = hops.map((h) => ({
    hopCount: h.hop_count,
    ipAddress: h.ip_address,
    roundTripTime: h.round_trip_time_ms === null ? null : durationText(h.round_trip_time_ms),
    roundTripTimeMs: h.round_trip_time_ms,
  }));
  return out;
}

function streamJson(s: StreamRow): JsonObject {
  const out: JsonObject = {
    streamId: s.stream_id,
    streamDirection: s.stream_direction,
    startDateTime: isoTime(s.start_time),
    endDateTime: isoTime(s.end_time),
  };
  metrics(s, streamFields, out);
  out.mediaType = s.media_type;
  out.quality = s.quality;
  out.poorReasons = list(s.poor_reasons);
  return out;
}

function failureJson(stage: string | null, reason: string | null): JsonObject | null {
  return stage === null && reason === null ? null : { stage, reason };
}

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** The detail view of already loaded rows (used by getCall, and by tests on rows that were never stored). */
export function callDetailOf(rows: CallRows): CallDetail {
  const c = rows.call;
  const endpoints = new Map(rows.endpoints.map((e) => [`${e.session_idx}:${e.segment_idx}:${e.side}`, e]));
  const mediaEnds = new Map(
    rows.mediaEndpoints.map((m) => [`${m.session_idx}:${m.segment_idx}:${m.media_idx}:${m.side}`, m]),
  );
  const hops = groupBy(rows.hops, (h) => `${h.session_idx}:${h.segment_idx}:${h.media_idx}:${h.side}`);
  const streams = groupBy(rows.streams, (s) => `${s.session_idx}:${s.segment_idx}:${s.media_idx}`);
  const media = groupBy(rows.media, (m) => `${m.session_idx}:${m.segment_idx}`);
  const segments = groupBy(rows.segments, (g) => `${g.session_idx}`);
  const side = (k: string, s: 'caller' | 'callee') => {
    const me = mediaEnds.get(`${k}:${s}`);
    return {
      device: me?.has_device ? metrics(me, deviceInfoFields, {}) : null,
      network: networkJson(me, hops.get(`${k}:${s}`) ?? []),
    };
  };
  const organizerKind = c.organizer_kind ?? 'user';
  return {
    id: c.id,
    version: c.version,
    type: c.type,
    modalities: list(c.modalities),
    startDateTime: isoTime(c.start_time),
    endDateTime: isoTime(c.end_time),
    lastModifiedDateTime: isoTime(c.last_modified_time),
    joinWebUrl: c.join_web_url,
    view: c.view as RecordView,
    viewTenantId: c.view_tenant_id,
    organizer_v2:
      c.organizer_id === null && c.organizer_name === null
        ? null
        : {
            id: c.organizer_id,
            identity: {
              [organizerKind]: identityJson(
                c.organizer_id,
                c.organizer_name,
                c.organizer_tenant_id,
                c.organizer_upn,
              ),
            },
          },
    participants_v2: rows.participants.map((p) => ({
      id: p.participant_id,
      identity: { [p.kind ?? 'user']: identityJson(p.identity_id, p.display_name, p.tenant_id, p.upn) },
      administrativeUnitInfos: list(p.administrative_unit_ids).map((id) => ({ id })),
    })),
    sessions: rows.sessions.map((s) => ({
      id: s.session_id,
      modalities: list(s.modalities),
      startDateTime: isoTime(s.start_time),
      endDateTime: isoTime(s.end_time),
      isTest: bool(s.is_test),
      caller: endpointJson(endpoints.get(`${s.session_idx}:-1:caller`)),
      callee: endpointJson(endpoints.get(`${s.session_idx}:-1:callee`)),
      failureInfo: failureJson(s.failure_stage, s.failure_reason),
      segments: (segments.get(`${s.session_idx}`) ?? []).map((g) => ({
        id: g.segment_id,
        startDateTime: isoTime(g.start_time),
        endDateTime: isoTime(g.end_time),
        caller: endpointJson(endpoints.get(`${g.session_idx}:${g.segment_idx}:caller`)),
        callee: endpointJson(endpoints.get(`${g.session_idx}:${g.segment_idx}:callee`)),
        failureInfo: failureJson(g.failure_stage, g.failure_reason),
        media: (media.get(`${g.session_idx}:${g.segment_idx}`) ?? []).map((m) => {
          const k = `${m.session_idx}:${m.segment_idx}:${m.media_idx}`;
          const caller = side(k, 'caller');
          const callee = side(k, 'callee');
          return {
            label: m.label,
            callerDevice: caller.device,
            calleeDevice: callee.device,
            callerNetwork: caller.network,
            calleeNetwork: callee.network,
            streams: (streams.get(k) ?? []).map(streamJson),
          };
        }),
      })),
    })),
  };
}

const streamDurations = streamFields.filter((f) => f.conversion === 'duration').map((f) => f.graph);

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v)
    ? (v.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as JsonObject[])
    : [];
}

function isObj(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The detail view from the stored raw JSON (Graph's exact values, unknown properties included) with what calltrove
 * adds: `*Ms` beside every duration, each stream's classification, the view, and an `associatedIdentity` on
 * endpoints that only had the deprecated identity set. Structure missing from the raw comes from the rows.
 */
export function callDetailFromRaw(raw: JsonObject, rows: CallRows): CallDetail {
  const fromRows = callDetailOf(rows);
  const out: JsonObject = { ...raw, id: fromRows.id, version: fromRows.version };
  out.view = fromRows.view;
  out.viewTenantId = fromRows.viewTenantId;
  if (!isObj(out.organizer_v2)) out.organizer_v2 = fromRows.organizer_v2;
  if (!Array.isArray(out.participants_v2) || out.participants_v2.length === 0)
    out.participants_v2 = fromRows.participants_v2;
  const sessions = objects(out.sessions);
  out.sessions = sessions;
  const endpoints = new Map(rows.endpoints.map((e) => [`${e.session_idx}:${e.segment_idx}:${e.side}`, e]));
  const streams = new Map(
    rows.streams.map((st) => [`${st.session_idx}:${st.segment_idx}:${st.media_idx}:${st.stream_idx}`, st]),
  );
  const identify = (holder: JsonObject, key: 'caller' | 'callee', at: string) => {
    const e = holder[key];
    const row = endpoints.get(`${at}:${key}`);
    if (
      isObj(e) &&
      !isObj(e.associatedIdentity) &&
      row &&
      (row.identity_id !== null || row.identity_name !== null)
    )
      e.associatedIdentity = identityJson(
        row.identity_id,
        row.identity_name,
        row.identity_tenant_id,
        row.identity_upn,
      );
  };
  sessions.forEach((session, si) => {
    identify(session, 'caller', `${si}:-1`);
    identify(session, 'callee', `${si}:-1`);
    const segments = objects(session.segments);
    session.segments = segments;
    segments.forEach((segment, gi) => {
      identify(segment, 'caller', `${si}:${gi}`);
      identify(segment, 'callee', `${si}:${gi}`);
      const media = objects(segment.media);
      segment.media = media;
      media.forEach((m, mi) => {
        for (const side of ['callerNetwork', 'calleeNetwork']) {
          const network = m[side];
          if (!isObj(network)) continue;
          for (const hop of objects(network.traceRouteHops))
            hop.roundTripTimeMs =
              typeof hop.roundTripTime === 'string' ? (durationToMs(hop.roundTripTime) ?? null) : null;
        }
        const streamList = objects(m.streams);
        m.streams = streamList;
        streamList.forEach((st, ti) => {
          for (const key of streamDurations)
            if (key in st)
              st[`${key}Ms`] = typeof st[key] === 'string' ? (durationToMs(st[key] as string) ?? null) : null;
          const row = streams.get(`${si}:${gi}:${mi}:${ti}`);
          st.mediaType = row?.media_type ?? 'other';
          st.quality = row?.quality ?? 'unclassified';
          st.poorReasons = list(row?.poor_reasons ?? null);
        });
      });
    });
  });
  return out as CallDetail;
}
