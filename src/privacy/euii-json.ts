// The EUII catalog of the Graph JSON: every property of every callRecords resource, classified, by shape.
import type { FieldRule } from './catalog-types.ts';

export type ShapeName =
  | 'record'
  | 'participant'
  | 'adminUnit'
  | 'identitySet'
  | 'identity'
  | 'session'
  | 'segment'
  | 'endpoint'
  | 'userAgent'
  | 'feedback'
  | 'feedbackTokens'
  | 'failureInfo'
  | 'media'
  | 'deviceInfo'
  | 'networkInfo'
  | 'stream'
  | 'hop'
  | 'pstnRow'
  | 'directRoutingRow';

export interface JsonProp extends FieldRule {
  /** The value is an object (or, with array, a list of objects) of this shape. */
  shape?: ShapeName;
  array?: boolean;
}

export interface Shape {
  props: Readonly<Record<string, JsonProp>>;
  /** Every property not listed (identity-set members, feedback tokens) follows this rule. */
  any?: JsonProp;
  /**
   * A property the catalog does not know (Graph added one): `scan` clears strings that look like an address,
   * e-mail, MAC or phone number and walks nested objects; `euii` treats every unknown value as EUII.
   */
  unknown: 'scan' | 'euii';
}

const np: JsonProp = { class: 'non-personal' };
const metric: JsonProp = { class: 'metric' };
const ip = (seed: JsonProp['seed'], note?: string): JsonProp => ({ class: 'euii', pseudo: 'ip', seed, note });
const token = (seed: JsonProp['seed'], note?: string): JsonProp => ({
  class: 'identifier',
  pseudo: 'token',
  seed,
  note,
});
const drop = (seed: JsonProp['seed'], note?: string): JsonProp => ({
  class: 'euii',
  pseudo: 'drop',
  seed,
  note,
});

function metrics(...names: string[]): Record<string, JsonProp> {
  return Object.fromEntries(names.map((n) => [n, metric]));
}
function plain(...names: string[]): Record<string, JsonProp> {
  return Object.fromEntries(names.map((n) => [n, np]));
}

const identityIds: JsonProp['seed'] = [
  'User ObjectID',
  'Organizer ObjectID',
  'Phone Number',
  'Auto Attendant Identity',
  'Call Queue Identity',
  'Transferred from Call Queue Identity',
];

export const shapes: Readonly<Record<ShapeName, Shape>> = {
  record: {
    unknown: 'scan',
    props: {
      ...plain('id', 'version', 'type', 'modalities', 'lastModifiedDateTime', 'startDateTime', 'endDateTime'),
      joinWebUrl: drop(['Organizer ObjectID'], 'the meeting link embeds the organizer object id'),
      organizer: { class: 'non-personal', shape: 'identitySet', note: 'deprecated identity set' },
      participants: { class: 'non-personal', shape: 'identitySet', array: true, note: 'deprecated' },
      organizer_v2: { class: 'non-personal', shape: 'participant' },
      participants_v2: { class: 'non-personal', shape: 'participant', array: true },
      sessions: { class: 'non-personal', shape: 'session', array: true },
    },
  },
  participant: {
    unknown: 'scan',
    props: {
      id: {
        ...token(
          ['User ObjectID', 'Organizer ObjectID', 'Phone Number'],
          'object id, or the number of a PSTN party',
        ),
        expire: 'token',
      },
      identity: { class: 'non-personal', shape: 'identitySet' },
      administrativeUnitInfos: { class: 'non-personal', shape: 'adminUnit', array: true },
    },
  },
  adminUnit: { unknown: 'scan', props: plain('id') },
  identitySet: {
    unknown: 'euii',
    props: {},
    // user, guest, phone, applicationInstance (auto attendants, call queues), acsUser, encrypted, ...
    any: { class: 'non-personal', shape: 'identity' },
  },
  identity: {
    // An identity is about one party: whatever Graph adds to it is treated as identifying.
    unknown: 'euii',
    props: {
      id: {
        ...token(identityIds, 'user/application object id, or the phone number of a phone identity'),
        expire: 'token',
      },
      displayName: drop(['UPN', 'Organizer UPN'], 'a person, room, bot or queue name'),
      userPrincipalName: token(['UPN', 'Organizer UPN', 'Organizer Sip Uri']),
      tenantId: { class: 'non-personal', note: 'an organization, kept: it says whose view a record is' },
    },
  },
  session: {
    unknown: 'scan',
    props: {
      ...plain('id', 'startDateTime', 'endDateTime', 'modalities', 'isTest'),
      caller: { class: 'non-personal', shape: 'endpoint' },
      callee: { class: 'non-personal', shape: 'endpoint' },
      failureInfo: { class: 'non-personal', shape: 'failureInfo' },
      segments: { class: 'non-personal', shape: 'segment', array: true },
    },
  },
  segment: {
    unknown: 'scan',
    props: {
      ...plain('id', 'startDateTime', 'endDateTime'),
      caller: { class: 'non-personal', shape: 'endpoint' },
      callee: { class: 'non-personal', shape: 'endpoint' },
      failureInfo: { class: 'non-personal', shape: 'failureInfo' },
      media: { class: 'non-personal', shape: 'media', array: true },
    },
  },
  endpoint: {
    unknown: 'scan',
    props: {
      name: drop(
        ['Client Endpoint Name', 'VTC Device Name', 'VTC Device Detail'],
        'the machine name of the device (a PC, a room system, a VTC)',
      ),
      ...plain('cpuName', 'cpuCoresCount', 'cpuProcessorSpeedInMhz'),
      userAgent: { class: 'non-personal', shape: 'userAgent' },
      associatedIdentity: { class: 'non-personal', shape: 'identity' },
      identity: { class: 'non-personal', shape: 'identitySet', note: 'deprecated' },
      feedback: { class: 'non-personal', shape: 'feedback' },
    },
  },
  userAgent: {
    unknown: 'scan',
    props: {
      ...plain('applicationVersion', 'platform', 'productFamily', 'role', 'azureADAppId'),
      headerValue: {
        class: 'non-personal',
        note: 'product and version of the client or device model, kept for client-version analytics',
      },
      communicationServiceId: { class: 'non-personal', note: 'an Azure Communication Services resource' },
    },
  },
  feedback: {
    unknown: 'scan',
    props: {
      rating: metric,
      text: drop(['Feedback Text'], 'free text typed by the user'),
      tokens: { class: 'metric', shape: 'feedbackTokens' },
    },
  },
  feedbackTokens: { unknown: 'scan', props: {}, any: metric },
  failureInfo: { unknown: 'scan', props: plain('reason', 'stage') },
  media: {
    unknown: 'scan',
    props: {
      label: np,
      callerDevice: { class: 'non-personal', shape: 'deviceInfo' },
      calleeDevice: { class: 'non-personal', shape: 'deviceInfo' },
      callerNetwork: { class: 'non-personal', shape: 'networkInfo' },
      calleeNetwork: { class: 'non-personal', shape: 'networkInfo' },
      streams: { class: 'non-personal', shape: 'stream', array: true },
    },
  },
  deviceInfo: {
    unknown: 'scan',
    props: {
      ...plain('captureDeviceDriver', 'renderDeviceDriver'),
      captureDeviceName: {
        class: 'non-personal',
        note: 'device model (a CQD dimension); see docs/privacy.md',
      },
      renderDeviceName: {
        class: 'non-personal',
        note: 'device model (a CQD dimension); see docs/privacy.md',
      },
      ...metrics(
        'captureNotFunctioningEventRatio',
        'cpuInsufficentEventRatio',
        'deviceClippingEventRatio',
        'deviceGlitchEventRatio',
        'howlingEventCount',
        'initialSignalLevelRootMeanSquare',
        'lowSpeechLevelEventRatio',
        'lowSpeechToNoiseEventRatio',
        'micGlitchRate',
        'receivedNoiseLevel',
        'receivedSignalLevel',
        'renderMuteEventRatio',
        'renderNotFunctioningEventRatio',
        'renderZeroVolumeEventRatio',
        'sentNoiseLevel',
        'sentSignalLevel',
        'speakerGlitchRate',
      ),
    },
  },
  networkInfo: {
    unknown: 'scan',
    props: {
      ipAddress: ip(['IP Address', 'Local Address', 'Base Address'], "the endpoint's own address"),
      reflexiveIPAddress: ip(['IP Address', 'Remote Address'], 'the public address the relay saw'),
      relayIPAddress: ip(['IP Address'], 'the media relay used; an address like the others'),
      macAddress: token(['MAC Address']),
      basicServiceSetIdentifier: token(['BSSID'], 'the Wi-Fi access point: a location'),
      subnet: { class: 'non-personal', note: 'a network fact kept for building mapping, as CQD keeps it' },
      dnsSuffix: { class: 'non-personal', note: 'the network domain, kept for network mapping' },
      ...plain(
        'connectionType',
        'networkTransportProtocol',
        'port',
        'relayPort',
        'wifiBand',
        'wifiChannel',
        'wifiRadioType',
        'wifiMicrosoftDriver',
        'wifiMicrosoftDriverVersion',
        'wifiVendorDriver',
        'wifiVendorDriverVersion',
      ),
      ...metrics(
        'bandwidthLowEventRatio',
        'delayEventRatio',
        'linkSpeed',
        'receivedQualityEventRatio',
        'sentQualityEventRatio',
        'wifiBatteryCharge',
        'wifiSignalStrength',
      ),
      traceRouteHops: { class: 'non-personal', shape: 'hop', array: true },
    },
  },
  stream: {
    unknown: 'scan',
    props: {
      ...plain('streamId', 'streamDirection', 'startDateTime', 'endDateTime', 'audioCodec', 'videoCodec'),
      ...metrics(
        'averageAudioDegradation',
        'averageAudioNetworkJitter',
        'averageBandwidthEstimate',
        'averageFreezeDuration',
        'averageJitter',
        'averagePacketLossRate',
        'averageRatioOfConcealedSamples',
        'averageReceivedFrameRate',
        'averageRoundTripTime',
        'averageVideoFrameLossPercentage',
        'averageVideoFrameRate',
        'averageVideoPacketLossRate',
        'isAudioForwardErrorCorrectionUsed',
        'lowFrameRateRatio',
        'lowVideoProcessingCapabilityRatio',
        'maxAudioNetworkJitter',
        'maxJitter',
        'maxPacketLossRate',
        'maxRatioOfConcealedSamples',
        'maxRoundTripTime',
        'packetUtilization',
        'postForwardErrorCorrectionPacketLossRate',
        'rmsFreezeDuration',
        'wasMediaBypassed',
      ),
    },
  },
  hop: {
    unknown: 'scan',
    props: {
      ipAddress: ip(['IP Address'], 'a router on the way: the first hops are the home or office network'),
      ...metrics('hopCount', 'roundTripTime'),
    },
  },
  pstnRow: {
    unknown: 'scan',
    props: {
      ...plain(
        'id',
        'callId',
        'startDateTime',
        'endDateTime',
        'callType',
        'currency',
        'usageCountryCode',
        'tenantCountryCode',
        'destinationContext',
        'destinationName',
        'conferenceId',
        'licenseCapability',
        'inventoryType',
        'operator',
        'callDurationSource',
        'otherPartyCountryCode',
      ),
      ...metrics('duration', 'charge', 'connectionCharge'),
      userId: token(['User ObjectID']),
      userPrincipalName: token(['UPN']),
      userDisplayName: drop(['UPN']),
      callerNumber: token(['Phone Number']),
      calleeNumber: token(['Phone Number']),
      clientLocalIpV4Address: ip(['IP Address', 'Local Address']),
      clientLocalIpV6Address: ip(['IP Address', 'Local Address']),
      clientPublicIpV4Address: ip(['IP Address', 'Remote Address']),
      clientPublicIpV6Address: ip(['IP Address', 'Remote Address']),
      administrativeUnitInfos: { class: 'non-personal', shape: 'adminUnit', array: true },
    },
  },
  directRoutingRow: {
    unknown: 'scan',
    props: {
      ...plain(
        'id',
        'correlationId',
        'transferorCorrelationId',
        'startDateTime',
        'inviteDateTime',
        'failureDateTime',
        'endDateTime',
        'callType',
        'successfulCall',
        'mediaPathLocation',
        'signalingLocation',
        'finalSipCode',
        'callEndSubReason',
        'finalSipCodePhrase',
        'trunkFullyQualifiedDomainName',
        'mediaBypassEnabled',
        'userCountryCode',
        'otherPartyCountryCode',
      ),
      ...metrics('duration'),
      userId: token(['User ObjectID']),
      userPrincipalName: token(['UPN']),
      userDisplayName: drop(['UPN']),
      callerNumber: token(['Phone Number']),
      calleeNumber: token(['Phone Number']),
      administrativeUnitInfos: { class: 'non-personal', shape: 'adminUnit', array: true },
    },
  },
};

export interface JsonPathEntry extends FieldRule {
  /** `sessions[].segments[].media[].callerNetwork.ipAddress`; `*` stands for any identity-set member. */
  path: string;
}

/** Every leaf property path under a shape, with its rule (the catalog as a flat list, for docs and tests). */
export function jsonPaths(root: ShapeName = 'record', prefix = ''): JsonPathEntry[] {
  const shape = shapes[root];
  const out: JsonPathEntry[] = [];
  const visit = (name: string, rule: JsonProp) => {
    const path = `${prefix}${prefix ? '.' : ''}${name}${rule.array ? '[]' : ''}`;
    if (rule.shape && rule.shape !== 'feedbackTokens') out.push(...jsonPaths(rule.shape, path));
    else
      out.push({
        path,
        class: rule.class,
        pseudo: rule.pseudo,
        expire: rule.expire,
        seed: rule.seed,
        note: rule.note,
      });
  };
  for (const [name, rule] of Object.entries(shape.props)) visit(name, rule);
  if (shape.any) visit('*', shape.any);
  return out;
}
