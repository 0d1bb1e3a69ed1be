// Test support: a plausible call record and each impossible value Graph never sends, planted one per record,
// with what must happen (that path nulled with a warning, or the record refused); shared by the unit, both-database
// and hostile suites.
type Loose = Record<string, unknown>;

export const plausibleStart = '2026-01-10T10:00:00Z';
const at = (minutes: number) => new Date(Date.parse(plausibleStart) + minutes * 60_000).toISOString();

/** A record no check objects to: one session, one segment, audio with two streams, networks and devices. */
export function plausibleRecord(id: string, version = 3): Loose {
  const stream = (direction: string, jitter: string) => ({
    streamId: `${id.slice(0, 4)}-${direction}`,
    streamDirection: direction,
    startDateTime: at(1),
    endDateTime: at(29),
    averageJitter: jitter,
    maxJitter: 'PT0.080S',
    averageRoundTripTime: 'PT0.120S',
    averagePacketLossRate: 0.01,
    maxPacketLossRate: 0.04,
    averageRatioOfConcealedSamples: 0.02,
    averageAudioDegradation: 0.3,
    packetUtilization: 84_000,
    averageBandwidthEstimate: 12_000_000,
  });
  return {
    id,
    version,
    type: 'peerToPeer',
    modalities: ['audio'],
    lastModifiedDateTime: at(40),
    startDateTime: plausibleStart,
    endDateTime: at(30),
    joinWebUrl: null,
    organizer_v2: {
      id: '11111111-0000-0000-0000-000000000001',
      identity: {
        user: {
          id: '11111111-0000-0000-0000-000000000001',
          displayName: 'Quinn Plausible',
          tenantId: 'dc368399-474c-4d40-900c-6265431fd81f',
          userPrincipalName: 'quinn.plausible@contoso.example',
        },
      },
    },
    participants_v2: [
      {
        id: '11111111-0000-0000-0000-000000000001',
        identity: {
          user: {
            id: '11111111-0000-0000-0000-000000000001',
            displayName: 'Quinn Plausible',
            tenantId: 'dc368399-474c-4d40-900c-6265431fd81f',
          },
        },
      },
    ],
    sessions: [
      {
        id: `${id}-s0`,
        modalities: ['audio'],
        startDateTime: at(0),
        endDateTime: at(30),
        caller: {
          '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
          name: 'LAPTOP-Q1',
          cpuCoresCount: 8,
          cpuProcessorSpeedInMhz: 2400,
          userAgent: {
            '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
            platform: 'windows',
            productFamily: 'teams',
            applicationVersion: '1415/24020205515',
          },
          associatedIdentity: { id: '11111111-0000-0000-0000-000000000001', displayName: 'Quinn Plausible' },
        },
        callee: { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint' },
        segments: [
          {
            id: `${id}-g0`,
            startDateTime: at(0),
            endDateTime: at(30),
            media: [
              {
                label: 'main-audio',
                callerNetwork: {
                  ipAddress: '10.150.0.2',
                  subnet: '10.150.0.0',
                  connectionType: 'wifi',
                  wifiSignalStrength: 80,
                  linkSpeed: 54_000_000,
                  port: 50_010,
                  receivedQualityEventRatio: 0.01,
                  traceRouteHops: [{ hopCount: 1, ipAddress: '10.150.0.1', roundTripTime: 'PT0.002S' }],
                },
                callerDevice: {
                  captureDeviceName: 'Headset Q',
                  micGlitchRate: 2,
                  deviceClippingEventRatio: 0,
                },
                streams: [stream('callerToCallee', 'PT0.016S'), stream('calleeToCaller', 'PT0.020S')],
              },
            ],
          },
        ],
      },
    ],
  };
}

export interface ImpossibleCase {
  name: string;
  plant(record: Loose): void;
  /** The JSON path (from the record) nulled with a warning, or the refusal's message (a pattern). */
  nulls?: string;
  refused?: RegExp;
}

const session = (r: Loose) => (r.sessions as Loose[])[0];
const segment = (r: Loose) => (session(r).segments as Loose[])[0];
const media = (r: Loose) => (segment(r).media as Loose[])[0];
const stream = (r: Loose) => (media(r).streams as Loose[])[0];
const streamPath = '$.sessions[0].segments[0].media[0].streams[0]';
const mediaPath = '$.sessions[0].segments[0].media[0]';

/** Every impossible value of issue 11, and a few more of the same kinds. */
export const impossibleCases: ImpossibleCase[] = [
  {
    name: 'end before start',
    plant: (r) => (r.endDateTime = '2026-01-10T09:00:00Z'),
    nulls: '$.endDateTime',
  },
  {
    name: 'absurd jitter',
    plant: (r) => (stream(r).averageJitter = 'PT99999999999999999999S'),
    nulls: `${streamPath}.averageJitter`,
  },
  {
    name: 'negative duration',
    plant: (r) => (stream(r).maxJitter = '-PT1S'),
    nulls: `${streamPath}.maxJitter`,
  },
  {
    name: 'negative packet loss',
    plant: (r) => (stream(r).averagePacketLossRate = -0.25),
    nulls: `${streamPath}.averagePacketLossRate`,
  },
  {
    name: 'packet loss above 1',
    plant: (r) => (stream(r).averagePacketLossRate = 7),
    nulls: `${streamPath}.averagePacketLossRate`,
  },
  { name: 'version 0', plant: (r) => (r.version = 0), refused: /\$\.version: a version must be .* from 1/ },
  { name: 'version -3', plant: (r) => (r.version = -3), refused: /\$\.version: .*got -3/ },
  { name: 'start "1"', plant: (r) => (r.startDateTime = '1'), refused: /\$\.startDateTime: no valid start/ },
  {
    name: 'start without a zone',
    plant: (r) => (r.startDateTime = '2026-01-10T10:00:00'),
    refused: /\$\.startDateTime: no valid start: .*time zone/,
  },
  {
    name: 'start in year 275760',
    plant: (r) => (r.startDateTime = '+275760-09-13T00:00:00.000Z'),
    refused: /\$\.startDateTime: no valid start/,
  },
  {
    name: 'stream end in year 275760',
    plant: (r) => (stream(r).endDateTime = '+275760-09-13T00:00:00.000Z'),
    nulls: `${streamPath}.endDateTime`,
  },
  {
    name: 'session time without a zone',
    plant: (r) => (session(r).endDateTime = '2026-01-10T10:30:00'),
    nulls: '$.sessions[0].endDateTime',
  },
  { name: 'NUL in the id', plant: (r) => (r.id = `${r.id}\u0000x`), refused: /\$\.id: / },
  { name: 'no id', plant: (r) => delete r.id, refused: /\$\.id: a call record needs/ },
  {
    name: 'NUL in a display name',
    plant: (r) => ((session(r).caller as Loose).associatedIdentity = { id: 'x', displayName: 'Quinn\u0000' }),
    nulls: '$.sessions[0].caller.associatedIdentity.displayName',
  },
  {
    name: 'NUL in a session id',
    plant: (r) => (session(r).id = 'abc\u0000'),
    nulls: '$.sessions[0].id',
  },
  {
    name: 'session outside its call',
    plant: (r) => (session(r).startDateTime = '2026-01-09T10:00:00Z'),
    nulls: '$.sessions[0].startDateTime',
  },
  {
    name: 'stream outside its session',
    plant: (r) => (stream(r).endDateTime = '2026-01-11T10:00:00Z'),
    nulls: `${streamPath}.endDateTime`,
  },
  {
    name: 'call of 30 days',
    plant: (r) => (r.endDateTime = '2026-02-09T10:00:00Z'),
    nulls: '$.endDateTime',
  },
  {
    name: 'no CPU cores',
    plant: (r) => ((session(r).caller as Loose).cpuCoresCount = 0),
    nulls: '$.sessions[0].caller.cpuCoresCount',
  },
  {
    name: 'Wi-Fi signal of 140 %',
    plant: (r) => ((media(r).callerNetwork as Loose).wifiSignalStrength = 140),
    nulls: `${mediaPath}.callerNetwork.wifiSignalStrength`,
  },
  {
    name: 'link speed beyond 2^53',
    plant: (r) => ((media(r).callerNetwork as Loose).linkSpeed = '99999999999999999999'),
    nulls: `${mediaPath}.callerNetwork.linkSpeed`,
  },
  {
    name: 'negative hop round trip',
    plant: (r) => {
      const hops = (media(r).callerNetwork as Loose).traceRouteHops as Loose[];
      hops[0].roundTripTime = '-PT0.5S';
    },
    nulls: `${mediaPath}.callerNetwork.traceRouteHops[0].roundTripTime`,
  },
  {
    name: 'device name of 5,000 characters',
    plant: (r) => ((media(r).callerDevice as Loose).captureDeviceName = 'ü'.repeat(5_000)),
    nulls: `${mediaPath}.callerDevice.captureDeviceName`,
  },
];

/** The record of one case: a plausible record with that one impossible value planted. */
export function impossibleRecord(c: ImpossibleCase, index: number): Loose {
  const record = plausibleRecord(`00000000-0000-0000-0000-${String(index + 1).padStart(12, '0')}`);
  c.plant(record);
  return record;
}
