// Synthetic call records of realistic size and shape (every property filled) for the import benchmark.

type Json = Record<string, unknown>;

/** A tiny deterministic PRNG so every run imports the same bytes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tenant = 'dc368399-474c-4d40-900c-6265431fd81f';
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '0000Z');
const dur = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

function guid(r: () => number): string {
  const h = () =>
    Math.floor(r() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
}

function user(r: () => number, i: number): Json {
  return {
    id: guid(r),
    displayName: `Person ${i}`,
    tenantId: tenant,
    userPrincipalName: `person.${i}@contoso.com`,
  };
}

function clientEndpoint(r: () => number, who: Json, i: number): Json {
  return {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: `DESKTOP-${i}`,
    cpuName: 'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz',
    cpuCoresCount: 8,
    cpuProcessorSpeedInMhz: 2995,
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      headerValue: 'RTCC/7.0.0.0 UCWA/7.0.0.0 Teams/1.6.00.4472 (Windows 10)',
      applicationVersion: '1.6.00.4472',
      platform: 'windows',
      productFamily: 'teams',
      azureADAppId: null,
      communicationServiceId: null,
    },
    associatedIdentity: { '@odata.type': '#microsoft.graph.callRecords.userIdentity', ...who },
    feedback: r() < 0.1 ? { rating: 'good', text: null, tokens: { NoSound: false, Echo: false } } : null,
  };
}

const serverEndpoint = {
  '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
  userAgent: {
    '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent',
    headerValue: 'av-mcu',
    applicationVersion: '2024.1.1.1',
    role: 'skypeForBusinessAudioVideoMcu',
  },
};

function network(r: () => number, wifi: boolean): Json {
  return {
    bandwidthLowEventRatio: 0,
    basicServiceSetIdentifier: wifi ? '9c:53:22:7b:be:ff' : null,
    connectionType: wifi ? 'wifi' : 'wired',
    delayEventRatio: r() * 0.01,
    dnsSuffix: 'corp.contoso.com',
    ipAddress: `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
    linkSpeed: wifi ? 866700000 : 1000000000,
    macAddress: '02:00:00:00:00:00',
    networkTransportProtocol: 'udp',
    port: 50000 + Math.floor(r() * 10000),
    receivedQualityEventRatio: r() * 0.05,
    reflexiveIPAddress: `203.0.113.${Math.floor(r() * 255)}`,
    relayIPAddress: '52.114.188.32',
    relayPort: 3478,
    sentQualityEventRatio: r() * 0.05,
    subnet: '10.150.0.0',
    traceRouteHops: [],
    wifiBand: wifi ? 'frequency50GHz' : 'unknown',
    wifiBatteryCharge: wifi ? 80 : null,
    wifiChannel: wifi ? 36 : null,
    wifiMicrosoftDriver: wifi ? 'Microsoft' : null,
    wifiMicrosoftDriverVersion: wifi ? 'Microsoft:10.0.19041.1' : null,
    wifiRadioType: wifi ? 'wifi80211ac' : 'unknown',
    wifiSignalStrength: wifi ? 90 : null,
    wifiVendorDriver: wifi ? 'Intel' : null,
    wifiVendorDriverVersion: wifi ? 'Intel:22.150.0.3' : null,
  };
}

function device(r: () => number): Json {
  return {
    captureDeviceDriver: 'Microsoft: 10.0.19041.1',
    captureDeviceName: 'Microphone (Realtek(R) Audio)',
    captureNotFunctioningEventRatio: 0,
    cpuInsufficentEventRatio: 0,
    deviceClippingEventRatio: r() * 0.01,
    deviceGlitchEventRatio: r() * 0.01,
    howlingEventCount: 0,
    initialSignalLevelRootMeanSquare: 60 + r() * 100,
    lowSpeechLevelEventRatio: 0,
    lowSpeechToNoiseEventRatio: 0,
    micGlitchRate: r() * 10,
    receivedNoiseLevel: -80 + Math.floor(r() * 20),
    receivedSignalLevel: -30 + Math.floor(r() * 20),
    renderDeviceDriver: 'Microsoft: 10.0.19041.1',
    renderDeviceName: 'Speakers (Realtek(R) Audio)',
    renderMuteEventRatio: 0,
    renderNotFunctioningEventRatio: 0,
    renderZeroVolumeEventRatio: 0,
    sentNoiseLevel: -80 + Math.floor(r() * 20),
    sentSignalLevel: -30 + Math.floor(r() * 20),
    speakerGlitchRate: r() * 10,
  };
}

function stream(r: () => number, direction: string, video: boolean, start: number, end: number): Json {
  return {
    streamId: String(Math.floor(r() * 2 ** 31)),
    streamDirection: direction,
    startDateTime: iso(start),
    endDateTime: iso(end),
    audioCodec: video ? null : 'satin',
    videoCodec: video ? 'h264' : null,
    averageAudioDegradation: video ? null : r() * 1.2,
    averageAudioNetworkJitter: video ? null : dur(r() * 40),
    averageBandwidthEstimate: Math.floor(r() * 5e7),
    averageFreezeDuration: video ? dur(r() * 200) : null,
    averageJitter: dur(r() * 35),
    averagePacketLossRate: r() * 0.05,
    averageRatioOfConcealedSamples: video ? null : r() * 0.08,
    averageReceivedFrameRate: video ? 10 + r() * 20 : null,
    averageRoundTripTime: dur(20 + r() * 200),
    averageVideoFrameLossPercentage: video ? r() * 10 : null,
    averageVideoFrameRate: video ? 10 + r() * 20 : null,
    averageVideoPacketLossRate: video ? r() * 0.02 : null,
    isAudioForwardErrorCorrectionUsed: !video,
    lowFrameRateRatio: video ? r() * 0.1 : null,
    lowVideoProcessingCapabilityRatio: video ? r() * 0.1 : null,
    maxAudioNetworkJitter: video ? null : dur(r() * 100),
    maxJitter: dur(r() * 80),
    maxPacketLossRate: r() * 0.2,
    maxRatioOfConcealedSamples: video ? null : r() * 0.2,
    maxRoundTripTime: dur(50 + r() * 400),
    packetUtilization: Math.floor(r() * 50000),
    postForwardErrorCorrectionPacketLossRate: r() * 0.02,
    rmsFreezeDuration: video ? dur(r() * 300) : null,
    wasMediaBypassed: false,
  };
}

function media(r: () => number, label: string, start: number, end: number): Json {
  const video = label !== 'main-audio';
  return {
    label,
    callerNetwork: network(r, r() < 0.5),
    calleeNetwork: network(r, false),
    callerDevice: device(r),
    calleeDevice: device(r),
    streams: [stream(r, 'callerToCallee', video, start, end), stream(r, 'calleeToCaller', video, start, end)],
  };
}

function session(
  r: () => number,
  caller: Json,
  callee: Json,
  start: number,
  end: number,
  video: boolean,
): Json {
  const labels = video ? ['main-audio', 'main-video'] : ['main-audio'];
  return {
    id: guid(r),
    modalities: video ? ['audio', 'video'] : ['audio'],
    startDateTime: iso(start),
    endDateTime: iso(end),
    isTest: false,
    caller,
    callee,
    failureInfo: null,
    segments: [
      {
        id: guid(r),
        startDateTime: iso(start),
        endDateTime: iso(end),
        caller,
        callee,
        failureInfo: null,
        media: labels.map((l) => media(r, l, start, end)),
      },
    ],
  };
}

export type RecordKind = 'p2p' | 'meeting10' | 'meeting300';

/** One call record: a P2P call (1 session) or a meeting with n participants (one session each to the MCU). */
export function syntheticRecord(kind: RecordKind, seed: number): Json {
  const r = rng(seed);
  const start = Date.UTC(2025, 0, 1) + Math.floor(r() * 30 * 86_400_000);
  const end = start + 60_000 + Math.floor(r() * 3_600_000);
  const people = kind === 'p2p' ? 2 : kind === 'meeting10' ? 10 : 300;
  const users = Array.from({ length: people }, (_, i) => user(r, seed * 1000 + i));
  const sessions =
    kind === 'p2p'
      ? [session(r, clientEndpoint(r, users[0], 0), clientEndpoint(r, users[1], 1), start, end, r() < 0.3)]
      : users.map((u, i) => session(r, clientEndpoint(r, u, i), serverEndpoint, start, end, i % 3 === 0));
  return {
    id: guid(r),
    version: 1,
    type: kind === 'p2p' ? 'peerToPeer' : 'groupCall',
    modalities: ['audio', 'video'],
    lastModifiedDateTime: iso(end + 600_000),
    startDateTime: iso(start),
    endDateTime: iso(end),
    joinWebUrl: kind === 'p2p' ? null : `https://teams.microsoft.com/l/meetup-join/${seed}`,
    organizer_v2: { id: users[0].id, identity: { user: users[0] } },
    participants_v2: users.map((u) => ({ id: u.id, identity: { user: u } })),
    sessions,
  };
}
