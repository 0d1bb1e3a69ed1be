// CQD's first and second endpoint of a stream: the server end is first, the client end second; network and
// device dimensions describe the second end, and a stream's direction is told from that end's point of view.

export type Side = 'caller' | 'callee';
/** CQD's "Is Server Pair": which kinds of endpoint the two ends are. */
export type EndPair = 'client-server' | 'client-client' | 'server-server';
/** Relative to the second (client) end: `inbound` is received by it, `outbound` sent by it. */
export type ClientDirection = 'inbound' | 'outbound';

/** What the ordering reads of one end of a segment (normalized endpoint columns). */
export interface EndDescriptor {
  /** 'participant' | 'service' | 'unknown' (the endpoint's @odata.type). */
  kind?: string | null;
  /** 'client' | 'service' (the userAgent's @odata.type). */
  userAgentType?: string | null;
  platform?: string | null;
  role?: string | null;
}

export interface StreamEnds {
  first: Side;
  second: Side;
  pair: EndPair;
}

/** A server: a service endpoint, a service user agent, or one that reports a service role. */
export function isServerEnd(end: EndDescriptor | null | undefined): boolean {
  if (!end) return false;
  return end.kind === 'service' || end.userAgentType === 'service' || (end.role ?? '') !== '';
}

/**
 * The fixed order of client user-agent categories when both ends are clients: the category earlier in this
 * list is "first", so the later one (typically the person's desktop or mobile app) is the "second" end whose
 * network and device are reported. Rooms, phones and other shared devices come first; unknown last.
 */
const clientCategoryOrder = [
  'roomSystem',
  'surfaceHub',
  'ipPhone',
  'holoLens',
  'web',
  'android',
  'iOS',
  'macOS',
  'windows',
];

function categoryRank(platform: string | null | undefined): number {
  const i = clientCategoryOrder.indexOf(platform ?? '');
  return i < 0 ? clientCategoryOrder.length : i;
}

/**
 * Orders the two ends of a segment. Server before client; two servers or two clients of the same category:
 * the caller is first and the callee second; two clients of different categories: by the category order.
 */
export function orderStreamEnds(
  caller: EndDescriptor | null | undefined,
  callee: EndDescriptor | null | undefined,
): StreamEnds {
  const callerServer = isServerEnd(caller);
  const calleeServer = isServerEnd(callee);
  if (callerServer && calleeServer) return { first: 'caller', second: 'callee', pair: 'server-server' };
  if (callerServer) return { first: 'caller', second: 'callee', pair: 'client-server' };
  if (calleeServer) return { first: 'callee', second: 'caller', pair: 'client-server' };
  const calleeFirst = categoryRank(callee?.platform) < categoryRank(caller?.platform);
  return calleeFirst
    ? { first: 'callee', second: 'caller', pair: 'client-client' }
    : { first: 'caller', second: 'callee', pair: 'client-client' };
}

/**
 * A stream's direction seen from the second end: Graph's `callerToCallee` flows into the callee, so it is
 * inbound when the second end is the callee and outbound when it is the caller. Null for an unknown direction.
 */
export function directionFromSecond(
  streamDirection: string | null | undefined,
  second: Side,
): ClientDirection | null {
  if (streamDirection === 'callerToCallee') return second === 'callee' ? 'inbound' : 'outbound';
  if (streamDirection === 'calleeToCaller') return second === 'caller' ? 'inbound' : 'outbound';
  return null;
}
