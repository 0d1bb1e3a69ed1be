// What calltrove adds to a call's Graph-shaped detail: each network's building, inside/outside and access point,
// red/yellow flags with their rules on streams, devices and networks, why a stream is unclassified, and a
// per-participant quality summary ("who had the problem"). Pure: the lookups are given.
import type { BuildingMap } from '../quality/buildings.ts';
import type { MediaType } from '../quality/classify-stream.ts';
import {
  deviceFlags,
  type Flag,
  networkFlags,
  streamFlags,
  type UnclassifiedReason,
  unclassifiedReason,
  unclassifiedReasonText,
} from '../quality/metric-ranges.ts';
import { isServerEnd } from '../quality/stream-ends.ts';
import type { CallDetail, JsonObject, JsonValue } from './call-views.ts';

/** An access point as the access-point file names it. */
export interface AccessPointInfo {
  name: string;
  building: string | null;
  floor: string | null;
}

/** An endpoint as CQD's endpoint data file describes it. */
export interface EndpointInfo {
  model: string;
  type: string;
  label1: string;
  label2: string;
  label3: string;
}

/**
 * Where endpoints are: the building map, the access points by BSSID and the endpoint file by endpoint name when
 * those files were imported.
 */
export interface CallPlaces {
  buildings: BuildingMap;
  accessPoint?: (bssid: string) => AccessPointInfo | undefined;
  endpoint?: (name: string) => EndpointInfo | undefined;
}

function describeEndpoint(e: JsonValue | undefined, places: CallPlaces): void {
  if (!isObj(e) || !places.endpoint) return;
  const name = text(e.name);
  const found = name ? places.endpoint(name) : undefined;
  if (!found) return;
  e.endpointModel = found.model || null;
  e.endpointType = found.type || null;
  e.endpointLabels = [found.label1, found.label2, found.label3].filter(Boolean);
}

/** One participant's end of the call, as the summary at the top of the call view shows it. */
export interface ParticipantQuality {
  /** The identity's object id, else its display name. */
  key: string;
  displayName: string | null;
  sessions: number;
  failedSessions: number;
  /** Streams this participant's end received (Graph measures a stream at its receiver). */
  receivedStreams: number;
  receivedPoor: number;
  /** Streams this participant's end sent that the far end received poorly (their upload path). */
  sentPoor: number;
  worstJitterMs: number | null;
  worstPacketLossRate: number | null;
  worstRoundTripMs: number | null;
  /** The poor reasons of the streams it received, most frequent first. */
  poorReasons: string[];
  building: string | null;
  connectionType: string | null;
  insideCorp: boolean | null;
}

const isObj = (v: JsonValue | undefined): v is JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const objects = (v: JsonValue | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObj) : []);
const text = (v: JsonValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);
const flagsJson = (f: Record<string, Flag>): JsonObject => f as unknown as JsonObject;

function placeNetwork(network: JsonObject, places: CallPlaces): void {
  const b = places.buildings.lookup(text(network.ipAddress), text(network.subnet));
  network.building = b?.buildingName ?? null;
  network.city = b?.city || null;
  network.country = b?.country || null;
  network.region = b?.region || null;
  // CQD counts a subnet no building row covers as outside the corporate network.
  network.insideCorp = b?.insideCorp ?? false;
  network.vpn = (b?.vpn ?? false) || network.connectionType === 'tunnel';
  const bssid = text(network.basicServiceSetIdentifier);
  if (bssid && places.accessPoint) {
    const ap = places.accessPoint(bssid);
    network.accessPoint = ap?.name ?? null;
    network.accessPointFloor = ap?.floor ?? null;
    network.accessPointBuilding = ap?.building ?? null;
  }
  network.flags = flagsJson(networkFlags(network));
}

function annotateStream(st: JsonObject): void {
  const mediaType = (text(st.mediaType) ?? 'other') as MediaType;
  st.flags = flagsJson(streamFlags(mediaType, st));
  const why = unclassifiedReason(mediaType, text(st.quality) ?? 'unclassified', st);
  st.unclassifiedReason = why;
  st.unclassifiedBecause = why ? unclassifiedReasonText[why as UnclassifiedReason] : null;
}

function endKey(e: JsonObject | null): { key: string; name: string | null } | null {
  if (!e) return null;
  const ua = isObj(e.userAgent) ? e.userAgent : null;
  const server = isServerEnd({
    kind: text(e['@odata.type'])?.includes('serviceEndpoint') ? 'service' : 'participant',
    userAgentType: text(ua?.['@odata.type'])?.includes('serviceUserAgent') ? 'service' : 'client',
    role: text(ua?.role),
  });
  if (server) return null;
  const id = isObj(e.associatedIdentity) ? e.associatedIdentity : null;
  const name = text(id?.displayName) ?? text(id?.userPrincipalName);
  const key = text(id?.id) ?? name;
  return key ? { key, name } : null;
}

const worse = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.max(a, b));

function summarize(sessions: JsonObject[]): ParticipantQuality[] {
  const people = new Map<string, ParticipantQuality>();
  const reasonCounts = new Map<string, Map<string, number>>();
  const person = (k: { key: string; name: string | null }) => {
    let p = people.get(k.key);
    if (!p) {
      p = {
        key: k.key,
        displayName: k.name,
        sessions: 0,
        failedSessions: 0,
        receivedStreams: 0,
        receivedPoor: 0,
        sentPoor: 0,
        worstJitterMs: null,
        worstPacketLossRate: null,
        worstRoundTripMs: null,
        poorReasons: [],
        building: null,
        connectionType: null,
        insideCorp: null,
      };
      people.set(k.key, p);
      reasonCounts.set(k.key, new Map());
    }
    return p;
  };
  for (const s of sessions) {
    const segments = objects(s.segments);
    const failed = isObj(s.failureInfo) || segments.some((g) => isObj(g.failureInfo));
    const sessionEnds = {
      caller: isObj(s.caller) ? s.caller : null,
      callee: isObj(s.callee) ? s.callee : null,
    };
    const seen = new Set<string>();
    for (const side of ['caller', 'callee'] as const) {
      const k = endKey(sessionEnds[side]);
      if (!k || seen.has(k.key)) continue;
      seen.add(k.key);
      const p = person(k);
      p.sessions++;
      if (failed) p.failedSessions++;
    }
    for (const g of segments)
      for (const m of objects(g.media))
        for (const side of ['caller', 'callee'] as const) {
          const end = isObj(g[side]) ? (g[side] as JsonObject) : sessionEnds[side];
          const k = endKey(end);
          if (!k) continue;
          const p = person(k);
          const net = isObj(m[`${side}Network`]) ? (m[`${side}Network`] as JsonObject) : null;
          if (net && p.connectionType === null) {
            p.connectionType = text(net.connectionType);
            p.building = text(net.building);
            p.insideCorp = typeof net.insideCorp === 'boolean' ? net.insideCorp : null;
          }
          const received = side === 'caller' ? 'calleeToCaller' : 'callerToCallee';
          for (const st of objects(m.streams)) {
            const poor = st.quality === 'poor';
            if (st.streamDirection !== received) {
              if (poor) p.sentPoor++;
              continue;
            }
            p.receivedStreams++;
            if (poor) {
              p.receivedPoor++;
              for (const r of Array.isArray(st.poorReasons) ? st.poorReasons : [])
                if (typeof r === 'string') {
                  const counts = reasonCounts.get(p.key) as Map<string, number>;
                  counts.set(r, (counts.get(r) ?? 0) + 1);
                }
            }
            p.worstJitterMs = worse(p.worstJitterMs, num(st.averageJitterMs));
            p.worstPacketLossRate = worse(p.worstPacketLossRate, num(st.averagePacketLossRate));
            p.worstRoundTripMs = worse(p.worstRoundTripMs, num(st.averageRoundTripTimeMs));
          }
        }
  }
  return (
    [...people.values()]
      .map((p) => ({
        ...p,
        poorReasons: [...(reasonCounts.get(p.key) ?? new Map<string, number>()).entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([r]) => r),
      }))
      // Who heard the problem first (a stream is measured at its receiver), then failures, then bad uploads.
      .sort(
        (a, b) =>
          b.receivedPoor - a.receivedPoor ||
          b.failedSessions - a.failedSessions ||
          b.sentPoor - a.sentPoor ||
          (a.displayName ?? a.key).localeCompare(b.displayName ?? b.key),
      )
  );
}

/** Adds calltrove's annotations to the detail in place and returns it. */
export function annotateCall(detail: CallDetail, places: CallPlaces): CallDetail {
  const sessions = objects(detail.sessions);
  for (const s of sessions) {
    describeEndpoint(s.caller, places);
    describeEndpoint(s.callee, places);
    for (const g of objects(s.segments)) {
      describeEndpoint(g.caller, places);
      describeEndpoint(g.callee, places);
      for (const m of objects(g.media)) {
        for (const side of ['callerNetwork', 'calleeNetwork'])
          if (isObj(m[side])) placeNetwork(m[side], places);
        for (const side of ['callerDevice', 'calleeDevice'])
          if (isObj(m[side])) (m[side] as JsonObject).flags = flagsJson(deviceFlags(m[side] as JsonObject));
        for (const st of objects(m.streams)) annotateStream(st);
      }
    }
  }
  detail.participantQuality = summarize(sessions) as unknown as JsonObject[];
  return detail;
}
