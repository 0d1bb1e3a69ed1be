// The text view's sections of one media: both ends in the admin center's groups (Device, System, Connectivity,
// Network) and the streams per media type and direction, in the dashboard's labels and units; a value past a CQD
// threshold ends in (!), one in the watch range in (?), and each rule crossed is listed under the streams.
import type { JsonObject, JsonValue } from '../../analytics/call-views.ts';
import { units } from './call-units.ts';

const obj = (v: JsonValue | undefined): JsonObject | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
const arr = (v: JsonValue | undefined): JsonObject[] =>
  Array.isArray(v) ? (v.filter((x) => obj(x) !== null) as JsonObject[]) : [];
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** Rules crossed while writing one media, listed once under it. */
type Notes = Map<string, string>;

function mark(text: string | null, o: JsonObject | null, property: string, notes: Notes): string | null {
  if (text === null) return null;
  const f = obj(obj(o?.flags)?.[property]);
  const level = str(f?.level);
  if (!f || !level) return text;
  notes.set(str(f.rule) ?? property, level);
  return `${text} ${level === 'poor' ? '(!)' : '(?)'}`;
}

interface End {
  e: JsonObject | null;
  d: JsonObject | null;
  n: JsonObject | null;
  sent: JsonObject[];
}
type Row = [string, (x: End, notes: Notes) => string | null];

const dev =
  (p: string, f: (v: number | null) => string | null): Row[1] =>
  (x, notes) =>
    mark(f(num(x.d?.[p])), x.d, p, notes);
const net =
  (p: string, f: (v: number | null) => string | null): Row[1] =>
  (x, notes) =>
    mark(f(num(x.n?.[p])), x.n, p, notes);
const notFunctioning =
  (p: string): Row[1] =>
  (x, notes) => {
    const v = num(x.d?.[p]);
    if (v === null) return null;
    return mark(`${v >= 0.005 ? 'not functioning' : 'ok'} (${units.ratio(v)})`, x.d, p, notes);
  };
const wifiBands: Record<string, string> = {
  frequency24GHz: '2.4 GHz',
  frequency50GHz: '5 GHz',
  frequency60GHz: '6 GHz',
};

const groups: [string, Row[]][] = [
  [
    'Device',
    [
      ['Capture device', (x) => str(x.d?.captureDeviceName)],
      ['Capture driver', (x) => str(x.d?.captureDeviceDriver)],
      ['Render device', (x) => str(x.d?.renderDeviceName)],
      ['Render driver', (x) => str(x.d?.renderDeviceDriver)],
      ['Microphone', notFunctioning('captureNotFunctioningEventRatio')],
      ['Speaker', notFunctioning('renderNotFunctioningEventRatio')],
      ['Mic glitch rate', dev('micGlitchRate', units.per5)],
      ['Speaker glitch rate', dev('speakerGlitchRate', units.per5)],
      ['Sent signal level', dev('sentSignalLevel', units.db)],
      ['Sent noise level', dev('sentNoiseLevel', units.db)],
      ['Received signal level', dev('receivedSignalLevel', units.db)],
      ['Received noise level', dev('receivedNoiseLevel', units.db)],
      ['Device glitch events', dev('deviceGlitchEventRatio', units.ratio)],
      ['Clipping events', dev('deviceClippingEventRatio', units.ratio)],
      ['Low speech level', dev('lowSpeechLevelEventRatio', units.ratio)],
      ['Low speech-to-noise', dev('lowSpeechToNoiseEventRatio', units.ratio)],
      ['CPU insufficient', dev('cpuInsufficentEventRatio', units.ratio)],
      ['Howling events', dev('howlingEventCount', (v) => units.plain(v, 0))],
    ],
  ],
  [
    'System',
    [
      [
        'Client',
        (x) =>
          [str(obj(x.e?.userAgent)?.productFamily), str(obj(x.e?.userAgent)?.applicationVersion)]
            .filter(Boolean)
            .join(' ') || null,
      ],
      ['Platform', (x) => str(obj(x.e?.userAgent)?.platform)],
      ['Device name', (x) => str(x.e?.name)],
      ['Endpoint model', (x) => str(x.e?.endpointModel)],
      ['CPU', (x) => str(x.e?.cpuName)],
      ['CPU cores', (x) => units.plain(num(x.e?.cpuCoresCount), 0)],
      ['CPU speed', (x) => units.mhz(num(x.e?.cpuProcessorSpeedInMhz))],
    ],
  ],
  [
    'Connectivity',
    [
      ['Transport', (x) => str(x.n?.networkTransportProtocol)],
      ['Path', (x) => (!x.n ? null : str(x.n.relayIPAddress) ? 'relayed' : 'direct')],
      ['Local IP', (x) => str(x.n?.ipAddress)],
      ['Port', (x) => units.plain(num(x.n?.port), 0)],
      ['Reflexive IP', (x) => str(x.n?.reflexiveIPAddress)],
      ['Relay IP', (x) => str(x.n?.relayIPAddress)],
      [
        'Media bypass',
        (x) => {
          const seen = x.sent.map((s) => s.wasMediaBypassed).filter((v) => typeof v === 'boolean');
          return seen.length ? (seen.some(Boolean) ? 'yes' : 'no') : null;
        },
      ],
    ],
  ],
  [
    'Network',
    [
      ['Connection type', (x) => str(x.n?.connectionType)],
      [
        'Wi-Fi band',
        (x) => (str(x.n?.wifiBand) ? (wifiBands[str(x.n?.wifiBand) as string] ?? str(x.n?.wifiBand)) : null),
      ],
      ['Wi-Fi channel', (x) => units.plain(num(x.n?.wifiChannel), 0)],
      ['Wi-Fi signal', net('wifiSignalStrength', units.percent)],
      ['Battery', net('wifiBatteryCharge', units.percent)],
      ['BSSID', (x) => str(x.n?.basicServiceSetIdentifier)],
      [
        'Access point',
        (x) =>
          str(x.n?.accessPoint)
            ? `${str(x.n?.accessPoint)}${str(x.n?.accessPointFloor) ? ` (floor ${str(x.n?.accessPointFloor)})` : ''}`
            : str(x.n?.basicServiceSetIdentifier) && x.n && 'accessPoint' in x.n
              ? 'not in the access-point file'
              : null,
      ],
      ['Link speed', (x) => units.mbps(num(x.n?.linkSpeed))],
      ['Subnet', (x) => str(x.n?.subnet)],
      [
        'Building',
        (x) => (x.n && 'building' in x.n ? (str(x.n.building) ?? 'not in the building file') : null),
      ],
      ['City', (x) => [str(x.n?.city), str(x.n?.country)].filter(Boolean).join(', ') || null],
      [
        'Inside corp',
        (x) => (typeof x.n?.insideCorp !== 'boolean' ? null : x.n.insideCorp ? 'inside' : 'outside'),
      ],
      ['VPN', (x) => units.yesNo(x.n?.vpn)],
      ['DNS suffix', (x) => str(x.n?.dnsSuffix)],
      ['Network delay events', net('delayEventRatio', units.ratio)],
      ['Low bandwidth events', net('bandwidthLowEventRatio', units.ratio)],
    ],
  ],
];

const reasonWords: Record<string, string> = {
  jitter: 'jitter > 30 ms',
  roundTrip: 'round trip > 500 ms',
  packetLoss: 'packet loss > 10%',
  degradation: 'MOS degradation > 1.0',
  concealedRatio: 'concealed > 7%',
  frameLoss: 'frame loss > 50%',
  frameRate: 'frame rate too low',
  postFecPacketLoss: 'post-FEC loss > 15%',
};
const mediaTitles: Record<string, string> = {
  audio: 'Audio',
  video: 'Video',
  vbss: 'Screen sharing',
  other: 'Other media',
};
const direction = (d: string | null) =>
  d === 'callerToCallee' ? 'Caller → callee' : d === 'calleeToCaller' ? 'Callee → caller' : (d ?? '?');

function streamLine(s: JsonObject, notes: Notes): string {
  const ms = (p: string) => mark(units.ms(num(s[`${p}Ms`])), s, p, notes);
  const ratio = (p: string) => mark(units.ratio(num(s[p])), s, p, notes);
  const type = str(s.mediaType) ?? 'other';
  const quality = str(s.quality) ?? 'unclassified';
  const parts: (string | null)[] = [direction(str(s.streamDirection)).padEnd(16), quality.padEnd(12)];
  const labelled = (label: string, v: string | null) => (v === null ? null : `${label} ${v}`);
  if (type === 'video' || type === 'vbss') {
    const received = num(s.averageReceivedFrameRate) !== null;
    const fpsKey = received ? 'averageReceivedFrameRate' : 'averageVideoFrameRate';
    parts.push(
      labelled('frame rate', mark(units.fps(num(s[fpsKey])), s, fpsKey, notes)),
      labelled(
        'frame loss',
        mark(
          units.percent(num(s.averageVideoFrameLossPercentage)),
          s,
          'averageVideoFrameLossPercentage',
          notes,
        ),
      ),
      labelled('post-FEC loss', ratio('postForwardErrorCorrectionPacketLossRate')),
      labelled('round trip', units.ms(num(s.averageRoundTripTimeMs))),
    );
  } else {
    parts.push(
      labelled('jitter', ms('averageJitter')),
      labelled('loss', ratio('averagePacketLossRate')),
      labelled('round trip', ms('averageRoundTripTime')),
      labelled('concealed', ratio('averageRatioOfConcealedSamples')),
      labelled(
        'MOS degradation',
        mark(units.plain(num(s.averageAudioDegradation)), s, 'averageAudioDegradation', notes),
      ),
    );
  }
  parts.push(
    labelled('bandwidth', units.kbps(num(s.averageBandwidthEstimate))),
    str(s.audioCodec) ?? str(s.videoCodec),
    labelled('packets', num(s.packetUtilization)?.toLocaleString('en-US') ?? null),
  );
  const reasons = Array.isArray(s.poorReasons) ? (s.poorReasons as string[]) : [];
  if (quality === 'poor' && reasons.length)
    parts.push(`poor: ${reasons.map((r) => reasonWords[r] ?? r).join('; ')}`);
  if (quality === 'unclassified')
    parts.push(`unclassified: ${str(s.unclassifiedBecause) ?? 'not classified'}`);
  return parts.filter((p): p is string => p !== null && p !== '').join('  ');
}

/** The lines of one media, indented by `pad`. */
export function mediaLines(
  caller: JsonObject | null,
  callee: JsonObject | null,
  m: JsonObject,
  pad: string,
): string[] {
  const streams = arr(m.streams);
  const a: End = {
    e: caller,
    d: obj(m.callerDevice),
    n: obj(m.callerNetwork),
    sent: streams.filter((s) => s.streamDirection === 'callerToCallee'),
  };
  const b: End = {
    e: callee,
    d: obj(m.calleeDevice),
    n: obj(m.calleeNetwork),
    sent: streams.filter((s) => s.streamDirection === 'calleeToCaller'),
  };
  const notes: Notes = new Map();
  const out: string[] = [`${pad}${str(m.label) ?? '(no label)'}  ${streams.length} stream(s)`];
  const rows = groups.map(
    ([g, list]) =>
      [
        g,
        list
          .map(([label, f]) => [label, f(a, notes) ?? '–', f(b, notes) ?? '–'] as const)
          .filter(([, x, y]) => x !== '–' || y !== '–'),
      ] as const,
  );
  const width = Math.max(0, ...rows.flatMap(([, list]) => list.map(([, x]) => x.length)));
  for (const [g, list] of rows) {
    if (list.length === 0) continue;
    out.push(`${pad}  ${g.padEnd(24)}${'caller'.padEnd(width + 2)}callee`);
    for (const [label, x, y] of list)
      out.push(`${pad}    ${label.padEnd(22)}${x.padEnd(width + 2)}${y}`.trimEnd());
  }
  for (const type of ['audio', 'video', 'vbss', 'other']) {
    const mine = streams.filter((s) => (str(s.mediaType) ?? 'other') === type);
    if (mine.length === 0) continue;
    out.push(`${pad}  ${mediaTitles[type]} streams`);
    for (const s of mine) out.push(`${pad}    ${streamLine(s, notes)}`);
  }
  if (notes.size) {
    out.push(`${pad}  (!) past a CQD threshold, (?) in the watch range:`);
    for (const [rule, level] of notes) out.push(`${pad}    ${level === 'poor' ? '(!)' : '(?)'} ${rule}`);
  }
  return out;
}
