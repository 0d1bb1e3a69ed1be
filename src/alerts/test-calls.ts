// Test support: meeting call records (each client to the conferencing server, two audio streams) from chosen places,
// with audio poor where the place is bad, so the alert rules have data whose answer is known.
import { rng } from '../store/test-call-records.ts';

export interface TestPlace {
  name: string;
  subnet: string;
  connectionType: 'wired' | 'wifi';
  /** Access point (Wi-Fi), as Graph reports it. */
  bssid?: string;
  /** The home network's DNS suffix (its ISP). */
  dnsSuffix?: string;
  /** Audio from here is poor (jitter and loss well past CQD's thresholds). */
  bad?: boolean;
  /** Share of the calls made from here (default equal). */
  weight?: number;
}

/** Buildings Alpha (10.1.0.0/24) and Beta (10.1.2.0/24) in CQD's building file layout. */
export const testBuildingsFile = [
  '10.1.0.0,Alpha floor 0,24,Alpha,Contoso,Office,,Vienna,1010,AT,,EMEA,1,0,0',
  '10.1.2.0,Beta floor 0,24,Beta,Contoso,Office,,Seattle,98001,US,WA,AMER,1,0,0',
].join('\n');

const iso = (ms: number) => new Date(ms).toISOString();
const dur = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

function audio(r: () => number, direction: string, start: number, end: number, bad: boolean) {
  return {
    streamId: String(Math.floor(r() * 1e9)),
    streamDirection: direction,
    startDateTime: iso(start),
    endDateTime: iso(end),
    audioCodec: 'opus',
    averageJitter: dur(bad ? 60 + r() * 20 : 3 + r() * 5),
    averageRoundTripTime: dur(bad ? 600 : 40 + r() * 40),
    averagePacketLossRate: bad ? 0.15 : 0.001,
    averageRatioOfConcealedSamples: bad ? 0.12 : 0.005,
    averageAudioDegradation: bad ? 1.5 : 0.1,
    packetUtilization: 5000,
  };
}

export interface AlertTestCallOptions {
  seed: number;
  places: readonly TestPlace[];
  /** Calls start in [start, start + hours). */
  start: number;
  hours: number;
  calls: number;
  /** Share of calls that fail at setup (default 0). */
  setupFailures?: number;
}

export function alertTestCalls(o: AlertTestCallOptions): Record<string, unknown>[] {
  const r = rng(o.seed);
  const total = o.places.reduce((s, p) => s + (p.weight ?? 1), 0);
  const placeOf = () => {
    let x = r() * total;
    for (const p of o.places) {
      x -= p.weight ?? 1;
      if (x < 0) return p;
    }
    return o.places[o.places.length - 1];
  };
  const out: Record<string, unknown>[] = [];
  for (let c = 0; c < o.calls; c++) {
    const start = o.start + Math.floor(r() * o.hours * 3_600_000);
    const end = start + 10 * 60_000;
    const place = placeOf();
    const user = `00000000-0000-0000-0000-${String((c % 40) + 1).padStart(12, '0')}`;
    const third = 2 + Math.floor(r() * 200);
    const caller = {
      '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
      name: 'PC',
      userAgent: {
        '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
        headerValue: 'Teams/24004.1307.2669.7070',
        platform: 'windows',
        productFamily: 'teams',
        applicationVersion: '24004.1307.2669.7070',
      },
      associatedIdentity: { id: user, displayName: `User ${(c % 40) + 1}`, tenantId: 'tenant-1' },
    };
    const callee = {
      '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
      userAgent: {
        '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent',
        role: 'skypeForBusinessAudioVideoMcu',
        headerValue: 'av-mcu',
      },
    };
    const failed = r() < (o.setupFailures ?? 0);
    const network = {
      ipAddress: place.subnet.replace(/\.0$/, `.${third}`),
      subnet: place.subnet,
      connectionType: place.connectionType,
      wifiBand: place.connectionType === 'wifi' ? 'frequency50GHz' : 'unknown',
      networkTransportProtocol: 'udp',
      ...(place.bssid ? { basicServiceSetIdentifier: place.bssid } : {}),
      ...(place.dnsSuffix ? { dnsSuffix: place.dnsSuffix } : {}),
      traceRouteHops: [],
    };
    const media = failed
      ? []
      : [
          {
            label: 'main-audio',
            callerNetwork: network,
            callerDevice: { captureDeviceName: 'Headset', renderDeviceName: 'Headset' },
            calleeNetwork: { ipAddress: '52.112.0.10', connectionType: 'wired', traceRouteHops: [] },
            streams: ['callerToCallee', 'calleeToCaller'].map((d) => audio(r, d, start, end, !!place.bad)),
          },
        ];
    const failureInfo = failed ? { failureInfo: { stage: 'callSetup', reason: 'Network' } } : {};
    out.push({
      id: `alert-call-${o.seed}-${c}`,
      version: 1,
      type: 'groupCall',
      modalities: ['audio'],
      lastModifiedDateTime: iso(end + 60_000),
      startDateTime: iso(start),
      endDateTime: iso(end),
      organizer_v2: { id: user, identity: { user: { id: user, displayName: 'Organizer' } } },
      participants_v2: [{ id: user, identity: { user: { id: user, displayName: 'Participant' } } }],
      sessions: [
        {
          id: `s-${c}`,
          modalities: ['audio'],
          startDateTime: iso(start),
          endDateTime: iso(end),
          isTest: false,
          caller,
          callee,
          ...failureInfo,
          segments: [
            {
              id: `g-${c}`,
              startDateTime: iso(start),
              endDateTime: iso(end),
              caller,
              callee,
              ...failureInfo,
              media,
            },
          ],
        },
      ],
    });
  }
  return out;
}
