// A media's two ends side by side in the admin center's Advanced groups: Device, System, Connectivity, Network,
// each value with its unit and, where the server flagged it, red or yellow with the rule as a tooltip.
import type { JsonObject } from '../../../src/analytics/call-views.ts';
import { type Child, h, num1 } from '../ui/dom.ts';
import { arr, flagged, fmt, numv, obj, str } from './call-values.ts';

const wifiBands: Record<string, string> = {
  frequency24GHz: '2.4 GHz',
  frequency50GHz: '5 GHz',
  frequency60GHz: '6 GHz',
};

/** One side of a media: the endpoint (who, client, system), its deviceInfo and networkInfo, its streams. */
interface End {
  e: JsonObject | null;
  d: JsonObject | null;
  n: JsonObject | null;
  /** The streams this end sends (media bypass is reported on streams). */
  sent: JsonObject[];
}

type Row = [string, (x: End) => Child];

const devRatio =
  (p: string): Row[1] =>
  (x) =>
    flagged(fmt.ratio(numv(x.d?.[p])), x.d, p);
const netRatio =
  (p: string): Row[1] =>
  (x) =>
    flagged(fmt.ratio(numv(x.n?.[p])), x.n, p);

function notFunctioning(x: End, p: string): Child {
  const v = numv(x.d?.[p]);
  if (v === null) return null;
  return flagged(v >= 0.005 ? `not functioning (${fmt.ratio(v)})` : `ok (${fmt.ratio(v)})`, x.d, p);
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

function client(e: JsonObject | null): string | null {
  const ua = obj(e?.userAgent);
  return [str(ua?.productFamily), str(ua?.applicationVersion)].filter(Boolean).join(' ') || null;
}

function inside(n: JsonObject | null): Child {
  if (!n || typeof n.insideCorp !== 'boolean') return null;
  if (n.insideCorp) return 'inside';
  return str(n.building) ? 'outside' : 'outside (subnet not in the building file)';
}

const groups: [string, Row[]][] = [
  [
    'Device',
    [
      ['Capture device', (x) => str(x.d?.captureDeviceName)],
      ['Capture driver', (x) => str(x.d?.captureDeviceDriver)],
      ['Render device', (x) => str(x.d?.renderDeviceName)],
      ['Render driver', (x) => str(x.d?.renderDeviceDriver)],
      ['Microphone', (x) => notFunctioning(x, 'captureNotFunctioningEventRatio')],
      ['Speaker', (x) => notFunctioning(x, 'renderNotFunctioningEventRatio')],
      ['Mic glitch rate', (x) => flagged(fmt.per5(numv(x.d?.micGlitchRate)), x.d, 'micGlitchRate')],
      [
        'Speaker glitch rate',
        (x) => flagged(fmt.per5(numv(x.d?.speakerGlitchRate)), x.d, 'speakerGlitchRate'),
      ],
      ['Sent signal level', (x) => fmt.db(numv(x.d?.sentSignalLevel))],
      ['Sent noise level', (x) => fmt.db(numv(x.d?.sentNoiseLevel))],
      ['Received signal level', (x) => fmt.db(numv(x.d?.receivedSignalLevel))],
      ['Received noise level', (x) => fmt.db(numv(x.d?.receivedNoiseLevel))],
      ['Initial signal level (RMS)', (x) => fmt.plain(numv(x.d?.initialSignalLevelRootMeanSquare))],
      ['Device glitch events', devRatio('deviceGlitchEventRatio')],
      ['Clipping events', devRatio('deviceClippingEventRatio')],
      ['Low speech level', devRatio('lowSpeechLevelEventRatio')],
      ['Low speech-to-noise', devRatio('lowSpeechToNoiseEventRatio')],
      ['CPU insufficient', devRatio('cpuInsufficentEventRatio')],
      [
        'Howling events',
        (x) => flagged(fmt.plain(numv(x.d?.howlingEventCount), 0), x.d, 'howlingEventCount'),
      ],
      ['Render muted', devRatio('renderMuteEventRatio')],
      ['Render zero volume', devRatio('renderZeroVolumeEventRatio')],
    ],
  ],
  [
    'System',
    [
      [
        'Participant',
        (x) =>
          str(obj(x.e?.associatedIdentity)?.displayName) ??
          (str(obj(x.e?.userAgent)?.role) ? `service: ${str(obj(x.e?.userAgent)?.role)}` : null),
      ],
      ['Client', (x) => client(x.e)],
      ['Platform', (x) => str(obj(x.e?.userAgent)?.platform)],
      ['User agent', (x) => str(obj(x.e?.userAgent)?.headerValue)],
      ['Device name', (x) => str(x.e?.name)],
      ['Endpoint model', (x) => str(x.e?.endpointModel)],
      ['CPU', (x) => str(x.e?.cpuName)],
      ['CPU cores', (x) => fmt.plain(numv(x.e?.cpuCoresCount), 0)],
      ['CPU speed', (x) => fmt.mhz(numv(x.e?.cpuProcessorSpeedInMhz))],
    ],
  ],
  [
    'Connectivity',
    [
      ['Transport', (x) => str(x.n?.networkTransportProtocol)],
      ['Path', (x) => (!x.n ? null : str(x.n.relayIPAddress) ? 'relayed' : 'direct')],
      ['Local IP', (x) => str(x.n?.ipAddress)],
      ['Port', (x) => fmt.plain(numv(x.n?.port), 0)],
      ['Reflexive IP', (x) => str(x.n?.reflexiveIPAddress)],
      ['Relay IP', (x) => str(x.n?.relayIPAddress)],
      ['Relay port', (x) => fmt.plain(numv(x.n?.relayPort), 0)],
      [
        'Media bypass',
        (x) => {
          const seen = x.sent.map((s) => s.wasMediaBypassed).filter((v) => typeof v === 'boolean');
          return seen.length ? (seen.some(Boolean) ? 'yes' : 'no') : null;
        },
      ],
      ['Trace route', (x) => hops(x.n)],
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
      ['Wi-Fi channel', (x) => fmt.plain(numv(x.n?.wifiChannel), 0)],
      ['Wi-Fi radio', (x) => str(x.n?.wifiRadioType)],
      ['Wi-Fi signal', (x) => flagged(fmt.percent(numv(x.n?.wifiSignalStrength)), x.n, 'wifiSignalStrength')],
      ['Battery', (x) => flagged(fmt.percent(numv(x.n?.wifiBatteryCharge)), x.n, 'wifiBatteryCharge')],
      ['BSSID', (x) => str(x.n?.basicServiceSetIdentifier)],
      [
        'Access point',
        (x) =>
          str(x.n?.accessPoint)
            ? `${str(x.n?.accessPoint)}${str(x.n?.accessPointFloor) ? ` (floor ${str(x.n?.accessPointFloor)})` : ''}`
            : str(x.n?.basicServiceSetIdentifier) && 'accessPoint' in (x.n ?? {})
              ? 'not in the access-point file'
              : null,
      ],
      [
        'Wi-Fi driver',
        (x) =>
          [str(x.n?.wifiVendorDriver), str(x.n?.wifiVendorDriverVersion)].filter(Boolean).join(' ') || null,
      ],
      ['Link speed', (x) => fmt.mbps(numv(x.n?.linkSpeed))],
      ['Subnet', (x) => str(x.n?.subnet)],
      [
        'Building',
        (x) => (x.n && 'building' in x.n ? (str(x.n.building) ?? 'not in the building file') : null),
      ],
      ['City', (x) => [str(x.n?.city), str(x.n?.country)].filter(Boolean).join(', ') || null],
      ['Inside corp', (x) => inside(x.n)],
      ['VPN', (x) => fmt.yesNo(x.n?.vpn)],
      ['DNS suffix', (x) => str(x.n?.dnsSuffix)],
      ['Network delay events', netRatio('delayEventRatio')],
      ['Low bandwidth events', netRatio('bandwidthLowEventRatio')],
      ['Sent quality events', netRatio('sentQualityEventRatio')],
      ['Received quality events', netRatio('receivedQualityEventRatio')],
    ],
  ],
];

const shownValue = (c: Child) => c !== null && c !== undefined && c !== false && c !== '';

/** The two ends of a media side by side, in groups; rows where both ends are unknown are left out. */
export function endsTable(
  caller: JsonObject | null,
  callee: JsonObject | null,
  media: JsonObject,
): HTMLElement {
  const streams = arr(media.streams);
  const a: End = {
    e: caller,
    d: obj(media.callerDevice),
    n: obj(media.callerNetwork),
    sent: streams.filter((s) => s.streamDirection === 'callerToCallee'),
  };
  const b: End = {
    e: callee,
    d: obj(media.calleeDevice),
    n: obj(media.calleeNetwork),
    sent: streams.filter((s) => s.streamDirection === 'calleeToCaller'),
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
    groups.map(([group, rows]) => {
      const shown = rows
        .map(([label, f]) => [label, f(a), f(b)] as const)
        .filter(([, x, y]) => shownValue(x) || shownValue(y));
      if (shown.length === 0) return null;
      return h(
        'tbody',
        { 'data-group': group },
        h('tr', { class: 'group' }, h('th', { scope: 'colgroup', colspan: 3 }, group)),
        shown.map(([label, x, y]) =>
          h(
            'tr',
            { 'data-row': label },
            h('th', { scope: 'row' }, label),
            h('td', null, shownValue(x) ? x : '–'),
            h('td', null, shownValue(y) ? y : '–'),
          ),
        ),
      );
    }),
  );
}
