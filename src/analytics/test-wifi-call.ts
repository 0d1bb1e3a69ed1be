// Test support: one Graph call record of a Wi-Fi user in a mapped building (HQ Wi-Fi 10.10.2.0/24 of the server
// tests' building file) and a home user, with a poor stream, a stream in the watch range, a 57 ms-jitter stream
// too short to classify, a microphone not functioning and a BSSID the access-point tests name.
export const wifiCallId = 'c0ffee00-wifi-4c11-a000-000000000001';
export const wifiBssid = 'AA:BB:CC:00:11:22';
export const wifiTenantId = 'dc368399-474c-4d40-900c-6265431fd81f';
export const wifiAccessPoint = { name: 'AP-HQ-3F-East', building: 'Amsterdam HQ', floor: '3' };

const at = (s: number) => new Date(Date.UTC(2025, 2, 12, 9, 0, s)).toISOString();
const user = (id: string, displayName: string, platform: string) => ({
  '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
  name: `LAPTOP-${displayName.toUpperCase()}`,
  cpuName: 'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz',
  cpuCoresCount: 8,
  cpuProcessorSpeedInMhz: 2995,
  userAgent: {
    '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
    headerValue: 'RTCC/7.0.0.0 UCWA/7.0.0.0 Teams/1.7.00.1864 (Windows 10)',
    applicationVersion: '1.7.00.1864',
    platform,
    productFamily: 'teams',
  },
  associatedIdentity: { id, displayName, tenantId: wifiTenantId },
});

/** The record, as Graph sends it. */
export function wifiCallRecord(): Record<string, unknown> {
  return {
    id: wifiCallId,
    version: 1,
    type: 'peerToPeer',
    modalities: ['audio'],
    startDateTime: at(0),
    endDateTime: at(600),
    lastModifiedDateTime: at(700),
    organizer_v2: { id: 'u-ada', identity: { user: { id: 'u-ada', displayName: 'Ada Wifi' } } },
    participants_v2: [
      { id: 'u-ada', identity: { user: { id: 'u-ada', displayName: 'Ada Wifi', tenantId: wifiTenantId } } },
      { id: 'u-bob', identity: { user: { id: 'u-bob', displayName: 'Bob Home', tenantId: wifiTenantId } } },
    ],
    sessions: [
      {
        id: 'wifi-session-1',
        modalities: ['audio'],
        startDateTime: at(0),
        endDateTime: at(600),
        caller: user('u-ada', 'Ada Wifi', 'windows'),
        callee: user('u-bob', 'Bob Home', 'windows'),
        segments: [
          {
            id: 'wifi-segment-1',
            startDateTime: at(0),
            endDateTime: at(600),
            caller: user('u-ada', 'Ada Wifi', 'windows'),
            callee: user('u-bob', 'Bob Home', 'windows'),
            media: [
              {
                label: 'main-audio',
                callerNetwork: {
                  ipAddress: '10.10.2.44',
                  subnet: '10.10.2.0',
                  connectionType: 'wifi',
                  wifiBand: 'frequency50GHz',
                  wifiChannel: 44,
                  wifiSignalStrength: 62,
                  wifiRadioType: 'wifi80211ac',
                  basicServiceSetIdentifier: wifiBssid,
                  linkSpeed: 866_000_000,
                  networkTransportProtocol: 'udp',
                  port: 50012,
                  reflexiveIPAddress: '203.0.113.9',
                  dnsSuffix: 'corp.contoso.com',
                  traceRouteHops: [],
                },
                calleeNetwork: {
                  ipAddress: '192.168.7.23',
                  subnet: '192.168.7.0',
                  connectionType: 'wired',
                  linkSpeed: 1_000_000_000,
                  dnsSuffix: 'home.example.net',
                  traceRouteHops: [],
                },
                callerDevice: {
                  captureDeviceName: 'Microphone Array (Realtek)',
                  captureDeviceDriver: 'Realtek 6.0.9235',
                  renderDeviceName: 'Speakers (Realtek)',
                  captureNotFunctioningEventRatio: 0.02,
                  micGlitchRate: 3,
                  sentSignalLevel: -28,
                  sentNoiseLevel: -62,
                },
                calleeDevice: {
                  captureDeviceName: 'MacBook Pro Microphone',
                  renderDeviceName: 'MacBook Pro Speakers',
                },
                streams: [
                  {
                    // Received by Bob: jitter beyond CQD's 30 ms (poor), loss in the watch range (> 1%).
                    streamId: 'ada-to-bob',
                    streamDirection: 'callerToCallee',
                    averageJitter: 'PT0.045S',
                    averagePacketLossRate: 0.02,
                    averageRoundTripTime: 'PT0.08S',
                    averageAudioDegradation: 0.3,
                    averageRatioOfConcealedSamples: 0.01,
                    averageBandwidthEstimate: 150_000,
                    packetUtilization: 25_000,
                    audioCodec: 'opus',
                    wasMediaBypassed: false,
                    isAudioForwardErrorCorrectionUsed: true,
                  },
                  {
                    // Received by Ada: 57 ms jitter but only 400 packets: unclassified, and says so.
                    streamId: 'bob-to-ada',
                    streamDirection: 'calleeToCaller',
                    averageJitter: 'PT0.057S',
                    averagePacketLossRate: 0,
                    averageRoundTripTime: 'PT0.08S',
                    packetUtilization: 400,
                    audioCodec: 'opus',
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}
