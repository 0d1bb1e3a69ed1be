// Pieces of the call view: the per-stream metrics table (poor streams and their reasons marked) and the
// side-by-side device / network / connectivity details of a media's two ends, with trace-route hops.
import type { JsonObject, JsonValue } from '../../../src/analytics/call-views.ts';
import { type Child, h, num1 } from '../ui/dom.ts';

export const obj = (v: JsonValue | undefined): JsonObject | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
export const arr = (v: JsonValue | undefined): JsonObject[] =>
  Array.isArray(v) ? (v.filter((x) => obj(x) !== null) as JsonObject[]) : [];
export const str = (v: JsonValue | undefined): string | null =>
  typeof v === 'string' && v !== '' ? v : null;
export const numv = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** Names shown for CQD's poor reasons (see shared/cqd-quality-rules.md). */
export const reasonLabels: Record<string, string> = {
  jitter: 'jitter > 30 ms',
  roundTrip: 'round trip > 500 ms',
  packetLoss: 'packet loss > 10%',
  degradation: 'MOS degradation > 1.0',
  concealedRatio: 'concealed > 7%',
  frameLoss: 'frame loss > 50%',
  frameRate: 'frame rate too low',
  postFecPacketLoss: 'post-FEC loss > 15%',
};

const metric = (v: number | null, unit: string, digits = 1) =>
  v === null ? '–' : `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
const ratio = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

const mediaNames: Record<string, string> = { audio: 'audio', video: 'video', vbss: 'screen share' };

/** Which end sends a stream, in words: "Caller → Callee". */
export function directionLabel(d: string | null): string {
  return d === 'callerToCallee' ? 'Caller → callee' : d === 'calleeToCaller' ? 'Callee → caller' : (d ?? '–');
}

/** One row per stream; poor ones carry class `poor`, data-quality, and their reasons in words. */
export function streamTable(media: JsonObject[], label: string): HTMLElement {
  const streams: JsonObject[] = media.flatMap((m) =>
    arr(m.streams).map((s): JsonObject => ({ ...s, label: str(m.label) ?? 'media' })),
  );
  const head = [
    'Media',
    'Direction',
    'Quality',
    'Poor because',
    'Jitter ms avg/max',
    'Loss avg/max',
    'RTT ms avg/max',
    'Concealed',
    'Degradation',
    'Video fps / loss',
    'Codec',
    'Packets',
  ];
  return h(
    'table',
    { class: 'data compact streams', 'data-streams': label },
    h('caption', null, `Streams of ${label}`),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      streams.map((s) => {
        const quality = str(s.quality) ?? 'unclassified';
        const reasons = Array.isArray(s.poorReasons) ? (s.poorReasons as string[]) : [];
        const frameRate = numv(s.averageReceivedFrameRate) ?? numv(s.averageVideoFrameRate);
        return h(
          'tr',
          {
            class: quality === 'poor' ? 'poor' : null,
            'data-quality': quality,
            'data-stream': str(s.streamId),
          },
          h(
            'td',
            { class: 'nowrap', title: `media label: ${str(s.label)}` },
            mediaNames[str(s.mediaType) ?? ''] ?? 'other',
          ),
          h('th', { scope: 'row', class: 'nowrap' }, directionLabel(str(s.streamDirection))),
          h('td', null, h('span', { class: `badge ${quality}` }, quality)),
          h(
            'td',
            { class: 'reasons' },
            reasons.length ? reasons.map((r) => reasonLabels[r] ?? r).join('; ') : '',
          ),
          h(
            'td',
            { class: 'num' },
            `${metric(numv(s.averageJitterMs), '')} / ${metric(numv(s.maxJitterMs), '')}`,
          ),
          h(
            'td',
            { class: 'num' },
            `${ratio(numv(s.averagePacketLossRate))} / ${ratio(numv(s.maxPacketLossRate))}`,
          ),
          h(
            'td',
            { class: 'num' },
            `${metric(numv(s.averageRoundTripTimeMs), '', 0)} / ${metric(numv(s.maxRoundTripTimeMs), '', 0)}`,
          ),
          h('td', { class: 'num' }, ratio(numv(s.averageRatioOfConcealedSamples))),
          h('td', { class: 'num' }, metric(numv(s.averageAudioDegradation), '', 2)),
          h(
            'td',
            { class: 'num' },
            frameRate === null && numv(s.averageVideoFrameLossPercentage) === null
              ? '–'
              : `${metric(frameRate, '')} / ${metric(numv(s.averageVideoFrameLossPercentage), '%')}`,
          ),
          h('td', null, str(s.audioCodec) ?? str(s.videoCodec) ?? '–'),
          h('td', { class: 'num' }, numv(s.packetUtilization)?.toLocaleString('en-US') ?? '–'),
        );
      }),
    ),
  );
}

const wifiBands: Record<string, string> = {
  frequency24GHz: '2.4 GHz',
  frequency50GHz: '5 GHz',
  frequency60GHz: '6 GHz',
};

/** [label, caller value, callee value] rows; rows where both ends are unknown are left out. */
function detailRows(rows: [string, Child, Child][]): HTMLElement[] {
  return rows
    .filter(([, a, b]) => (a !== null && a !== '–') || (b !== null && b !== '–'))
    .map(([label, a, b]) =>
      h('tr', null, h('th', { scope: 'row' }, label), h('td', null, a ?? '–'), h('td', null, b ?? '–')),
    );
}

function endpointFacts(e: JsonObject | null): {
  who: string | null;
  client: string | null;
  device: string | null;
} {
  const ua = obj(e?.userAgent);
  const identity = obj(e?.associatedIdentity);
  const client = [str(ua?.productFamily), str(ua?.platform), str(ua?.applicationVersion)]
    .filter(Boolean)
    .join(' ');
  const role = str(ua?.role);
  return {
    who: str(identity?.displayName) ?? str(identity?.userPrincipalName) ?? (role ? `service: ${role}` : null),
    client: client || str(ua?.headerValue),
    device: str(e?.name),
  };
}

function hops(network: JsonObject | null): Child {
  const list = arr(network?.traceRouteHops);
  if (list.length === 0) return null;
  return h(
    'ol',
    { class: 'hops', 'aria-label': 'Trace-route hops' },
    list.map((hop) =>
      h('li', null, `${str(hop.ipAddress) ?? '?'} · ${num1(numv(hop.roundTripTimeMs), 'ms')}`),
    ),
  );
}

/** The two ends of a media side by side: who, client, device, network and connectivity, trace-route hops. */
export function endsTable(
  caller: JsonObject | null,
  callee: JsonObject | null,
  media: JsonObject,
): HTMLElement {
  const a = endpointFacts(caller);
  const b = endpointFacts(callee);
  const an = obj(media.callerNetwork);
  const bn = obj(media.calleeNetwork);
  const ad = obj(media.callerDevice);
  const bd = obj(media.calleeDevice);
  const net = (n: JsonObject | null, k: string) =>
    str(n?.[k]) ?? (numv(n?.[k]) !== null ? String(numv(n?.[k])) : null);
  const band = (n: JsonObject | null) => {
    const v = str(n?.wifiBand);
    return v ? (wifiBands[v] ?? v) : null;
  };
  const speed = (n: JsonObject | null) => {
    const v = numv(n?.linkSpeed);
    return v === null ? null : `${(v / 1_000_000).toFixed(0)} Mbit/s`;
  };
  const notWorking = (d: JsonObject | null, k: string) => {
    const v = numv(d?.[k]);
    return v === null
      ? null
      : v >= 0.005
        ? h('span', { class: 'badge poor' }, `not functioning ${(v * 100).toFixed(1)}%`)
        : 'ok';
  };
  return h(
    'table',
    { class: 'data compact ends' },
    h('caption', null, `Endpoints of ${str(media.label) ?? 'media'}`),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, ''),
        h('th', { scope: 'col' }, 'Caller'),
        h('th', { scope: 'col' }, 'Callee'),
      ),
    ),
    h(
      'tbody',
      null,
      detailRows([
        ['Participant', a.who, b.who],
        ['Client', a.client, b.client],
        ['Device name', a.device, b.device],
        ['Capture device', str(ad?.captureDeviceName), str(bd?.captureDeviceName)],
        ['Render device', str(ad?.renderDeviceName), str(bd?.renderDeviceName)],
        [
          'Microphone',
          notWorking(ad, 'captureNotFunctioningEventRatio'),
          notWorking(bd, 'captureNotFunctioningEventRatio'),
        ],
        [
          'Speaker',
          notWorking(ad, 'renderNotFunctioningEventRatio'),
          notWorking(bd, 'renderNotFunctioningEventRatio'),
        ],
        ['Connection', net(an, 'connectionType'), net(bn, 'connectionType')],
        ['Wi-Fi band', band(an), band(bn)],
        ['Wi-Fi signal', net(an, 'wifiSignalStrength'), net(bn, 'wifiSignalStrength')],
        ['Link speed', speed(an), speed(bn)],
        ['IP address', net(an, 'ipAddress'), net(bn, 'ipAddress')],
        ['Subnet', net(an, 'subnet'), net(bn, 'subnet')],
        ['Reflexive IP', net(an, 'reflexiveIPAddress'), net(bn, 'reflexiveIPAddress')],
        ['Relay', net(an, 'relayIPAddress'), net(bn, 'relayIPAddress')],
        ['Transport', net(an, 'networkTransportProtocol'), net(bn, 'networkTransportProtocol')],
        ['DNS suffix', net(an, 'dnsSuffix'), net(bn, 'dnsSuffix')],
        ['Trace route', hops(an), hops(bn)],
      ]),
    ),
  );
}
