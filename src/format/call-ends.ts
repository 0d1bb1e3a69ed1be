// A media's two ends in the admin center's Advanced groups (Device, System, Connectivity, Network): one table of
// labels and values that the dashboard's call view draws and `calltrove call --format text` writes.
import { arr, type JsonObject, num, obj, str, units } from './call-values.ts';

/** One side of a media: the endpoint (who, client, system), its deviceInfo and networkInfo, its streams. */
export interface End {
  e: JsonObject | null;
  d: JsonObject | null;
  n: JsonObject | null;
  /** The streams this end sends (media bypass is reported on streams). */
  sent: JsonObject[];
}

/** A value as text; `judged` names where the server may have flagged it (red or yellow, (!) or (?)). */
export interface Cell {
  text: string | null;
  judged?: { of: JsonObject | null; property: string };
}

export type EndRow = [label: string, value: (x: End) => Cell];

/** The caller's and the callee's end of one media. */
export function endsOf(caller: JsonObject | null, callee: JsonObject | null, media: JsonObject): [End, End] {
  const streams = arr(media.streams);
  return [
    {
      e: caller,
      d: obj(media.callerDevice),
      n: obj(media.callerNetwork),
      sent: streams.filter((s) => s.streamDirection === 'callerToCallee'),
    },
    {
      e: callee,
      d: obj(media.calleeDevice),
      n: obj(media.calleeNetwork),
      sent: streams.filter((s) => s.streamDirection === 'calleeToCaller'),
    },
  ];
}

const text = (t: string | null): Cell => ({ text: t });
const wifiBands: Record<string, string> = {
  frequency24GHz: '2.4 GHz',
  frequency50GHz: '5 GHz',
  frequency60GHz: '6 GHz',
};

/** A deviceInfo (`d`) or networkInfo (`n`) number in a unit, judged by the server's flag on it. */
const judged =
  (side: 'd' | 'n', p: string, unit: (v: number | null) => string | null) =>
  (x: End): Cell => ({ text: unit(num(x[side]?.[p])), judged: { of: x[side], property: p } });

function notFunctioning(x: End, p: string): Cell {
  const v = num(x.d?.[p]);
  if (v === null) return text(null);
  return {
    text: `${v >= 0.005 ? 'not functioning' : 'ok'} (${units.ratio(v)})`,
    judged: { of: x.d, property: p },
  };
}

function client(e: JsonObject | null): string | null {
  const ua = obj(e?.userAgent);
  return [str(ua?.productFamily), str(ua?.applicationVersion)].filter(Boolean).join(' ') || null;
}

function inside(n: JsonObject | null): string | null {
  if (!n || typeof n.insideCorp !== 'boolean') return null;
  if (n.insideCorp) return 'inside';
  return str(n.building) ? 'outside' : 'outside (subnet not in the building file)';
}

function accessPoint(n: JsonObject | null): string | null {
  const ap = str(n?.accessPoint);
  if (ap) return `${ap}${str(n?.accessPointFloor) ? ` (floor ${str(n?.accessPointFloor)})` : ''}`;
  return str(n?.basicServiceSetIdentifier) && n && 'accessPoint' in n ? 'not in the access-point file' : null;
}

export const endGroups: [group: string, rows: EndRow[]][] = [
  [
    'Device',
    [
      ['Capture device', (x) => text(str(x.d?.captureDeviceName))],
      ['Capture driver', (x) => text(str(x.d?.captureDeviceDriver))],
      ['Render device', (x) => text(str(x.d?.renderDeviceName))],
      ['Render driver', (x) => text(str(x.d?.renderDeviceDriver))],
      ['Microphone', (x) => notFunctioning(x, 'captureNotFunctioningEventRatio')],
      ['Speaker', (x) => notFunctioning(x, 'renderNotFunctioningEventRatio')],
      ['Mic glitch rate', judged('d', 'micGlitchRate', units.per5)],
      ['Speaker glitch rate', judged('d', 'speakerGlitchRate', units.per5)],
      ['Sent signal level', judged('d', 'sentSignalLevel', units.db)],
      ['Sent noise level', judged('d', 'sentNoiseLevel', units.db)],
      ['Received signal level', judged('d', 'receivedSignalLevel', units.db)],
      ['Received noise level', judged('d', 'receivedNoiseLevel', units.db)],
      ['Initial signal level (RMS)', (x) => text(units.plain(num(x.d?.initialSignalLevelRootMeanSquare)))],
      ['Device glitch events', judged('d', 'deviceGlitchEventRatio', units.ratio)],
      ['Clipping events', judged('d', 'deviceClippingEventRatio', units.ratio)],
      ['Low speech level', judged('d', 'lowSpeechLevelEventRatio', units.ratio)],
      ['Low speech-to-noise', judged('d', 'lowSpeechToNoiseEventRatio', units.ratio)],
      ['CPU insufficient', judged('d', 'cpuInsufficentEventRatio', units.ratio)],
      ['Howling events', judged('d', 'howlingEventCount', (v) => units.plain(v, 0))],
      ['Render muted', judged('d', 'renderMuteEventRatio', units.ratio)],
      ['Render zero volume', judged('d', 'renderZeroVolumeEventRatio', units.ratio)],
    ],
  ],
  [
    'System',
    [
      [
        'Participant',
        (x) =>
          text(
            str(obj(x.e?.associatedIdentity)?.displayName) ??
              (str(obj(x.e?.userAgent)?.role) ? `service: ${str(obj(x.e?.userAgent)?.role)}` : null),
          ),
      ],
      ['Client', (x) => text(client(x.e))],
      ['Platform', (x) => text(str(obj(x.e?.userAgent)?.platform))],
      ['User agent', (x) => text(str(obj(x.e?.userAgent)?.headerValue))],
      ['Device name', (x) => text(str(x.e?.name))],
      ['Endpoint model', (x) => text(str(x.e?.endpointModel))],
      ['CPU', (x) => text(str(x.e?.cpuName))],
      ['CPU cores', (x) => text(units.plain(num(x.e?.cpuCoresCount), 0))],
      ['CPU speed', (x) => text(units.mhz(num(x.e?.cpuProcessorSpeedInMhz)))],
    ],
  ],
  [
    'Connectivity',
    [
      ['Transport', (x) => text(str(x.n?.networkTransportProtocol))],
      ['Path', (x) => text(!x.n ? null : str(x.n.relayIPAddress) ? 'relayed' : 'direct')],
      ['Local IP', (x) => text(str(x.n?.ipAddress))],
      ['Port', (x) => text(units.plain(num(x.n?.port), 0))],
      ['Reflexive IP', (x) => text(str(x.n?.reflexiveIPAddress))],
      ['Relay IP', (x) => text(str(x.n?.relayIPAddress))],
      ['Relay port', (x) => text(units.plain(num(x.n?.relayPort), 0))],
      [
        'Media bypass',
        (x) => {
          const seen = x.sent.map((s) => s.wasMediaBypassed).filter((v) => typeof v === 'boolean');
          return text(seen.length ? (seen.some(Boolean) ? 'yes' : 'no') : null);
        },
      ],
    ],
  ],
  [
    'Network',
    [
      ['Connection type', (x) => text(str(x.n?.connectionType))],
      [
        'Wi-Fi band',
        (x) => text(str(x.n?.wifiBand) ? (wifiBands[str(x.n?.wifiBand)!] ?? str(x.n?.wifiBand)) : null),
      ],
      ['Wi-Fi channel', (x) => text(units.plain(num(x.n?.wifiChannel), 0))],
      ['Wi-Fi radio', (x) => text(str(x.n?.wifiRadioType))],
      ['Wi-Fi signal', judged('n', 'wifiSignalStrength', units.percent)],
      ['Battery', judged('n', 'wifiBatteryCharge', units.percent)],
      ['BSSID', (x) => text(str(x.n?.basicServiceSetIdentifier))],
      ['Access point', (x) => text(accessPoint(x.n))],
      [
        'Wi-Fi driver',
        (x) =>
          text(
            [str(x.n?.wifiVendorDriver), str(x.n?.wifiVendorDriverVersion)].filter(Boolean).join(' ') || null,
          ),
      ],
      ['Link speed', (x) => text(units.mbps(num(x.n?.linkSpeed)))],
      ['Subnet', (x) => text(str(x.n?.subnet))],
      [
        'Building',
        (x) => text(x.n && 'building' in x.n ? (str(x.n.building) ?? 'not in the building file') : null),
      ],
      ['City', (x) => text([str(x.n?.city), str(x.n?.country)].filter(Boolean).join(', ') || null)],
      ['Inside corp', (x) => text(inside(x.n))],
      ['VPN', (x) => text(units.yesNo(x.n?.vpn))],
      ['DNS suffix', (x) => text(str(x.n?.dnsSuffix))],
      ['Network delay events', judged('n', 'delayEventRatio', units.ratio)],
      ['Low bandwidth events', judged('n', 'bandwidthLowEventRatio', units.ratio)],
      ['Sent quality events', judged('n', 'sentQualityEventRatio', units.ratio)],
      ['Received quality events', judged('n', 'receivedQualityEventRatio', units.ratio)],
    ],
  ],
];
