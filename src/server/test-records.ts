// Test support: a small deterministic tenant of Graph-shaped call records (varied networks, clients, quality,
// feedback, failures) and its CQD building file, for filling a store through the real ingest pipeline.
type Json = Record<string, unknown>;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const testTenantId = 'dc368399-474c-4d40-900c-6265431fd81f';

/** Networks the synthetic users sit on; `badness` raises the odds of poor streams there. */
const networks = [
  { subnet: '10.10.1.0', ip: '10.10.1.', type: 'wired', band: null, badness: 0.02 },
  { subnet: '10.10.2.0', ip: '10.10.2.', type: 'wifi', band: 'frequency50GHz', badness: 0.05 },
  { subnet: '10.20.1.0', ip: '10.20.1.', type: 'wifi', band: 'frequency24GHz', badness: 0.4 },
  { subnet: '10.30.1.0', ip: '10.30.1.', type: 'wired', band: null, badness: 0.08 },
  { subnet: '192.168.7.0', ip: '192.168.7.', type: 'wifi', band: 'frequency24GHz', badness: 0.25 },
] as const;

/** CQD building rows covering the first four subnets; 192.168.7.0 (home Wi-Fi) stays unmapped. */
export const testBuildingsCsv = [
  '10.10.1.0,HQ wired,24,Amsterdam HQ,Contoso,Office,Engineering,Amsterdam,1011,NL,NH,EMEA,1,0,0',
  '10.10.2.0,HQ wifi,24,Amsterdam HQ,Contoso,Office,Engineering,Amsterdam,1011,NL,NH,EMEA,1,0,0',
  '10.20.1.0,Leeds wifi,24,Leeds Branch,Contoso,Office,Sales,Leeds,LS1,GB,ENG,EMEA,1,0,0',
  '10.30.1.0,Seattle wired,24,Seattle Lab,Contoso,Lab,Research,Seattle,98001,US,WA,NA,1,0,0',
].join('\n');

const versions = [
  { v: '1.7.00.1864', badness: 0 },
  { v: '1.6.00.4472', badness: 0 },
  { v: '1.5.00.2011', badness: 0.3 },
];

const dur = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;
const hex = (r: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const guid = (r: () => number) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;

export interface TestTenantOptions {
  seed?: number;
  users?: number;
  calls?: number;
  /** Calls start within the `days` days before `end` (epoch ms). */
  end: number;
  days?: number;
}

interface TestUser {
  identity: Json;
  net: (typeof networks)[number];
  version: (typeof versions)[number];
  host: number;
}

function audioStream(r: () => number, poor: boolean, direction: string): Json {
  const jitter = poor ? 35 + r() * 40 : 2 + r() * 12;
  return {
    streamId: String(Math.floor(r() * 1e9)),
    streamDirection: direction,
    averageJitter: dur(jitter),
    maxJitter: dur(jitter * 2),
    averagePacketLossRate: poor && r() < 0.5 ? 0.12 + r() * 0.1 : r() * 0.02,
    averageRoundTripTime: dur(poor && r() < 0.3 ? 520 + r() * 200 : 20 + r() * 80),
    averageRatioOfConcealedSamples: r() * 0.03,
    averageAudioDegradation: r() * 0.6,
    packetUtilization: 1500 + Math.floor(r() * 20000),
    audioCodec: 'satin',
  };
}

function videoStream(r: () => number, poor: boolean, direction: string): Json {
  return {
    streamId: String(Math.floor(r() * 1e9)),
    streamDirection: direction,
    averageVideoFrameLossPercentage: poor ? 55 + r() * 20 : r() * 10,
    averageReceivedFrameRate: poor ? 5 : 24 + r() * 6,
    averageJitter: dur(5 + r() * 10),
    averageRoundTripTime: dur(30 + r() * 50),
    packetUtilization: 20000,
  };
}

function endpoint(u: TestUser, feedback: Json | null): Json {
  return {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: `LAPTOP-${u.host}`,
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      headerValue: `RTCC/7.0.0.0 UCWA/7.0.0.0 Teams/${u.version.v} (Windows 10)`,
      applicationVersion: u.version.v,
      platform: 'windows',
      productFamily: 'teams',
    },
    associatedIdentity: u.identity,
    ...(feedback ? { feedback } : {}),
  };
}

function network(r: () => number, u: TestUser): Json {
  return {
    ipAddress: `${u.net.ip}${10 + (u.host % 200)}`,
    subnet: u.net.subnet,
    connectionType: u.net.type,
    ...(u.net.band ? { wifiBand: u.net.band, wifiSignalStrength: 40 + Math.floor(r() * 50) } : {}),
    linkSpeed: 100_000_000,
    traceRouteHops: r() < 0.3 ? [{ hopCount: 1, ipAddress: `${u.net.ip}1`, roundTripTime: dur(2) }] : [],
  };
}

const feedbackTokens = ['NoSound', 'Echo', 'DistortedSpeech', 'Interruptions', 'LowVolume'];

/** Deterministic Graph callRecord JSON objects (peer-to-peer calls between synthetic users). */
export function testCallRecords(options: TestTenantOptions): Json[] {
  const r = prng(options.seed ?? 7);
  const userCount = options.users ?? 24;
  const days = options.days ?? 7;
  const users: TestUser[] = Array.from({ length: userCount }, (_, i) => ({
    identity: {
      id: guid(r),
      displayName: `Test User ${String(i + 1).padStart(2, '0')}`,
      tenantId: testTenantId,
      userPrincipalName: `test.user${i + 1}@contoso.example`,
    },
    net: networks[i % networks.length],
    version: versions[i % 7 === 3 ? 2 : i % 2],
    host: 100 + i,
  }));
  const span = days * 86_400_000;
  const out: Json[] = [];
  for (let n = 0; n < (options.calls ?? 120); n++) {
    const a = users[Math.floor(r() * users.length)];
    let b = users[Math.floor(r() * users.length)];
    if (b === a) b = users[(users.indexOf(a) + 1) % users.length];
    const start = options.end - Math.floor(r() * span) - 3_600_000;
    const length = 60_000 + Math.floor(r() * 40 * 60_000);
    const end = start + length;
    const withVideo = r() < 0.3;
    const setupFailed = r() < 0.03;
    const odds = Math.min(0.9, (a.net.badness + b.net.badness + a.version.badness + b.version.badness) / 2);
    const streamsOf = (make: typeof audioStream) => [
      make(r, r() < odds, 'callerToCallee'),
      make(r, r() < odds, 'calleeToCaller'),
    ];
    const media: Json[] = [
      {
        label: 'main-audio',
        callerNetwork: network(r, a),
        calleeNetwork: network(r, b),
        callerDevice: { captureDeviceName: 'Headset Microphone', renderDeviceName: 'Headset Earphone' },
        calleeDevice: { captureDeviceName: 'Laptop Microphone', renderDeviceName: 'Laptop Speakers' },
        streams: setupFailed ? [] : streamsOf(audioStream),
      },
    ];
    if (withVideo && !setupFailed)
      media.push({
        label: 'main-video',
        callerNetwork: network(r, a),
        calleeNetwork: network(r, b),
        streams: streamsOf(videoStream),
      });
    const rated = r() < 0.35;
    const rating = rated ? 1 + Math.floor(r() * 5) : 0;
    const feedback = rated
      ? {
          rating: ['', 'bad', 'poor', 'fair', 'good', 'excellent'][rating],
          tokens: rating <= 2 ? { [feedbackTokens[Math.floor(r() * feedbackTokens.length)]]: true } : {},
        }
      : null;
    const id = guid(r);
    const startIso = new Date(start).toISOString();
    const endIso = new Date(end).toISOString();
    const failure = setupFailed ? { stage: 'callSetup', reason: 'mediaConnectivityFailure' } : null;
    out.push({
      id,
      version: 1,
      type: 'peerToPeer',
      modalities: withVideo ? ['audio', 'video'] : ['audio'],
      lastModifiedDateTime: endIso,
      startDateTime: startIso,
      endDateTime: endIso,
      organizer_v2: { id: a.identity.id, identity: { user: a.identity } },
      participants_v2: [
        { id: a.identity.id, identity: { user: a.identity } },
        { id: b.identity.id, identity: { user: b.identity } },
      ],
      sessions: [
        {
          id,
          modalities: withVideo ? ['audio', 'video'] : ['audio'],
          startDateTime: startIso,
          endDateTime: endIso,
          isTest: false,
          caller: endpoint(a, null),
          callee: endpoint(b, feedback),
          ...(failure ? { failureInfo: failure } : {}),
          segments: [
            {
              id,
              startDateTime: startIso,
              endDateTime: endIso,
              caller: endpoint(a, null),
              callee: endpoint(b, null),
              ...(failure ? { failureInfo: failure } : {}),
              media,
            },
          ],
        },
      ],
    });
  }
  return out;
}
