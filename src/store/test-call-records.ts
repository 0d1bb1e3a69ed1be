// Test support: small, seeded, varied Graph call records (group calls through a conferencing server, peer-to-peer
// calls, failures, feedback, metrics at and around the CQD thresholds) and a building file covering some subnets.

export interface TestUser {
  id: string;
  name: string;
  subnet: string;
  ip: string;
  connectionType: string;
  wifiBand: string;
  platform: string;
  productFamily: string;
  version: string;
  capture: string;
  render: string;
}

/** Mulberry32: a tiny seeded generator so every run builds the same records. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** Subnets 10.1.x.0 are in buildings A/B, 10.2.x.0 unknown, 10.9.x.x a VPN pool; 192.168.x.0 home networks. */
export const testBuildingsCsv = [
  '10.1.0.0,A floor 0,24,Alpha,Contoso,Office,,Vienna,1010,AT,,EMEA,1,0,0',
  '10.1.1.0,A floor 1,24,Alpha,Contoso,Office,,Vienna,1010,AT,,EMEA,1,0,0',
  '10.1.2.0,B floor 0,24,Beta,Contoso,Office,,Seattle,98001,US,WA,AMER,1,1,0',
  '10.9.0.0,VPN pool,16,VPN,Contoso,VPN,,,,,,,1,0,1',
].join('\n');

export function testUsers(seed: number, count: number): TestUser[] {
  const r = rng(seed);
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) {
    const place = pick(r, ['a0', 'a1', 'b0', 'unknown', 'vpn', 'home'] as const);
    const third = Math.floor(r() * 200) + 2;
    const [subnet, ip] =
      place === 'a0'
        ? ['10.1.0.0', `10.1.0.${third}`]
        : place === 'a1'
          ? ['10.1.1.0', `10.1.1.${third}`]
          : place === 'b0'
            ? ['10.1.2.0', `10.1.2.${third}`]
            : place === 'unknown'
              ? ['10.2.7.0', `10.2.7.${third}`]
              : place === 'vpn'
                ? [`10.9.${third}.${third}`, `10.9.${third}.${third}`]
                : ['192.168.1.0', `192.168.1.${third}`];
    const connectionType = place === 'vpn' ? 'tunnel' : pick(r, ['wired', 'wifi', 'wifi', 'mobile']);
    users.push({
      id: `00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}`,
      name: `User ${i + 1}`,
      subnet,
      ip,
      connectionType,
      wifiBand: connectionType === 'wifi' ? pick(r, ['frequency24GHz', 'frequency50GHz']) : 'unknown',
      platform: pick(r, ['windows', 'windows', 'macOS', 'iOS', 'android', 'web']),
      productFamily: pick(r, ['teams', 'teams', 'teams', 'skypeForBusiness']),
      version: pick(r, ['1.6.00.1381', '1.7.00.2554', '24004.1307.2669.7070']),
      capture: pick(r, ['Headset A', 'Laptop Mic', 'Conference Speaker']),
      render: pick(r, ['Headset A', 'Laptop Speakers']),
    });
  }
  return users;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dur = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

function clientEndpoint(u: TestUser, feedback?: Record<string, unknown>) {
  return {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: `${u.name} PC`,
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      headerValue: `Teams/${u.version}`,
      platform: u.platform,
      productFamily: u.productFamily,
      applicationVersion: u.version,
    },
    associatedIdentity: { id: u.id, displayName: u.name, tenantId: 'tenant-1' },
    ...(feedback ? { feedback } : {}),
  };
}

const server = {
  '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
  userAgent: {
    '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent',
    role: 'skypeForBusinessAudioVideoMcu',
    headerValue: 'av-mcu',
  },
};

function network(u: TestUser) {
  return {
    ipAddress: u.ip,
    subnet: u.subnet,
    connectionType: u.connectionType,
    wifiBand: u.wifiBand,
    networkTransportProtocol: 'udp',
    traceRouteHops: [],
  };
}

/** Audio metrics: mostly good, some poor for each reason, some exactly at a threshold, some missing. */
function audioStream(r: () => number, direction: string, start: number, end: number, badness: number) {
  const kind = r();
  const jitterMs =
    kind < 0.05
      ? 30
      : kind < 0.1
        ? null
        : Math.round((3 + r() * 20 + (r() < badness ? 40 : 0)) * 1000) / 1000;
  return {
    streamId: String(Math.floor(r() * 1e9)),
    streamDirection: direction,
    startDateTime: iso(start),
    endDateTime: iso(end),
    audioCodec: r() < 0.1 ? 'satin' : 'opus',
    averageJitter: jitterMs === null ? null : dur(jitterMs),
    averageRoundTripTime: kind < 0.1 ? null : dur(Math.round(20 + r() * 200 + (r() < badness ? 400 : 0))),
    averagePacketLossRate: kind < 0.1 ? null : kind < 0.13 ? 0.1 : Math.round(r() * 0.05 * 1e4) / 1e4,
    averageRatioOfConcealedSamples:
      kind < 0.1 ? null : Math.round(r() * (r() < badness ? 0.2 : 0.05) * 1e4) / 1e4,
    averageAudioDegradation: kind < 0.1 ? null : Math.round(r() * 1.3 * 100) / 100,
    packetUtilization: r() < 0.08 ? 500 : 1000 + Math.floor(r() * 5000),
  };
}

function videoStream(r: () => number, direction: string, start: number, end: number, label: string) {
  const kind = r();
  return {
    streamId: String(Math.floor(r() * 1e9)),
    streamDirection: direction,
    startDateTime: iso(start),
    endDateTime: iso(end),
    averageJitter: dur(Math.round(r() * 40)),
    averageVideoFrameLossPercentage: kind < 0.5 ? Math.round(r() * 80) : null,
    averageReceivedFrameRate:
      kind >= 0.5 && kind < 0.8 ? Math.round(r() * (label.includes('sharing') ? 4 : 20)) : null,
    postForwardErrorCorrectionPacketLossRate:
      kind >= 0.8 && kind < 0.9 ? Math.round(r() * 0.3 * 100) / 100 : null,
  };
}

export interface TestCallOptions {
  seed: number;
  calls: number;
  users: TestUser[];
  /** Epoch ms of the first call; calls spread over `days`. */
  start: number;
  days: number;
  /** Record version written into every call (a later version of the same calls differs in its metrics). */
  version?: number;
}

/** Builds call records in the Graph JSON shape (`$expand=sessions($expand=segments)`). */
export function testCallRecords(o: TestCallOptions): Record<string, unknown>[] {
  const r = rng(o.seed * 7919 + (o.version ?? 1));
  const out: Record<string, unknown>[] = [];
  for (let c = 0; c < o.calls; c++) {
    const start = o.start + Math.floor(r() * o.days * 86_400_000);
    const length = 60_000 + Math.floor(r() * 3_600_000);
    const end = start + length;
    const group = r() < 0.6;
    const count = group ? 2 + Math.floor(r() * 4) : 2;
    const members = Array.from({ length: count }, () => pick(r, o.users));
    const badness = (o.version ?? 1) > 1 ? 0.3 : 0.15;
    const sessions: Record<string, unknown>[] = [];
    const pairs: [TestUser, TestUser | null][] = group
      ? members.map((m) => [m, null])
      : [[members[0], members[1]]];
    pairs.forEach(([a, b], si) => {
      const fail = r();
      // Setups that fail: a few are declines (an outcome, not a failure), some carry the client's network in a
      // media entry without streams, the rest no media at all.
      const failureInfo =
        fail < 0.008
          ? { stage: 'callSetup', reason: 'RemoteEndpointDeclined' }
          : fail < 0.04
            ? { stage: 'callSetup', reason: 'Network' }
            : fail < 0.08
              ? { stage: 'midcall', reason: 'Lost' }
              : undefined;
      const rating = r() < 0.2 ? pick(r, ['bad', 'poor', 'fair', 'good', 'excellent']) : undefined;
      const feedback = rating
        ? { rating, tokens: { NoSound: r() < 0.3, Echo: r() < 0.3, Stopped: false } }
        : undefined;
      const caller = clientEndpoint(a, feedback);
      const callee = b ? clientEndpoint(b) : server;
      const labels =
        r() < 0.3
          ? ['main-audio', 'main-video']
          : r() < 0.1
            ? ['main-audio', 'applicationsharing-video']
            : ['main-audio'];
      const media =
        failureInfo?.stage === 'callSetup'
          ? fail > 0.025
            ? [{ label: 'main-audio', callerNetwork: network(a), streams: [] }]
            : []
          : labels.map((label) => {
              const streams = ['callerToCallee', 'calleeToCaller'].map((d) =>
                label === 'main-audio'
                  ? audioStream(r, d, start, end, badness)
                  : videoStream(r, d, start, end, label),
              );
              return {
                label,
                callerNetwork: network(a),
                callerDevice: { captureDeviceName: a.capture, renderDeviceName: a.render },
                ...(b
                  ? {
                      calleeNetwork: network(b),
                      calleeDevice: { captureDeviceName: b.capture, renderDeviceName: b.render },
                    }
                  : {
                      calleeNetwork: {
                        ipAddress: '52.112.0.10',
                        connectionType: 'wired',
                        traceRouteHops: [],
                      },
                    }),
                streams,
              };
            });
      sessions.push({
        id: `s-${c}-${si}`,
        modalities: labels.includes('main-video') ? ['audio', 'video'] : ['audio'],
        startDateTime: iso(start),
        endDateTime: iso(end),
        isTest: false,
        caller,
        callee,
        ...(failureInfo ? { failureInfo } : {}),
        segments: [
          {
            id: `g-${c}-${si}`,
            startDateTime: iso(start),
            endDateTime: iso(end),
            caller,
            callee,
            ...(failureInfo ? { failureInfo } : {}),
            media,
          },
        ],
      });
    });
    out.push({
      id: `call-${o.seed}-${c}`,
      version: o.version ?? 1,
      type: group ? 'groupCall' : 'peerToPeer',
      modalities: ['audio'],
      lastModifiedDateTime: iso(end + 60_000),
      startDateTime: iso(start),
      endDateTime: iso(end),
      organizer_v2: {
        id: members[0].id,
        identity: { user: { id: members[0].id, displayName: members[0].name } },
      },
      participants_v2: members.map((m) => ({
        id: m.id,
        identity: { user: { id: m.id, displayName: m.name } },
      })),
      sessions,
    });
  }
  return out;
}
