// Runtime schemas for the Graph callRecords namespace: tolerant of new properties and enum members, strict on shape.
import { z } from 'zod';
import { isDuration } from './duration.ts';

// Unknown properties are kept (looseObject) so a newer Graph never loses data; the raw JSON is stored as well.
const str = z.string().nullish();
const bool = z.boolean().nullish();
/** OData may send IEEE special values as strings; they carry no measurement, so they become null. */
const single = z
  .union([z.number(), z.enum(['NaN', 'INF', '-INF'])])
  .nullish()
  .transform((v) => (typeof v === 'number' ? v : v == null ? v : null));
const int = z.number().int().nullish();
/** Int64 may arrive as a string when the client asks for IEEE754Compatible=true. */
const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer')])
  .nullish()
  .transform((v) => (typeof v === 'string' ? Number(v) : v));
const duration = z
  .string()
  .refine(isDuration, { message: 'expected an ISO-8601 duration such as "PT0.015S"' })
  .nullish();
const dateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO-8601 date-time' });
const openEnum = z.string();

export const identitySchema = z.looseObject({
  id: str,
  displayName: str,
  tenantId: str,
  userPrincipalName: str,
  '@odata.type': str,
});

/** identitySet / communicationsIdentitySet: user, phone, guest, application ... each an identity. */
export const identitySetSchema = z.record(z.string(), z.unknown());

export const feedbackSchema = z.looseObject({
  rating: openEnum.nullish(),
  text: str,
  tokens: z.record(z.string(), z.unknown()).nullish(),
});

export const userAgentSchema = z.looseObject({
  '@odata.type': str,
  applicationVersion: str,
  headerValue: str,
  azureADAppId: str,
  communicationServiceId: str,
  platform: openEnum.nullish(),
  productFamily: openEnum.nullish(),
  role: openEnum.nullish(),
});

export const endpointSchema = z.looseObject({
  '@odata.type': str,
  userAgent: userAgentSchema.nullish(),
  associatedIdentity: identitySchema.nullish(),
  identity: identitySetSchema.nullish(),
  feedback: feedbackSchema.nullish(),
  name: str,
  cpuName: str,
  cpuCoresCount: int,
  cpuProcessorSpeedInMhz: int,
});

export const traceRouteHopSchema = z.looseObject({
  hopCount: int,
  ipAddress: str,
  roundTripTime: duration,
});

export const networkInfoSchema = z.looseObject({
  bandwidthLowEventRatio: single,
  basicServiceSetIdentifier: str,
  connectionType: openEnum.nullish(),
  delayEventRatio: single,
  dnsSuffix: str,
  ipAddress: str,
  linkSpeed: int64,
  macAddress: str,
  networkTransportProtocol: openEnum.nullish(),
  port: int,
  receivedQualityEventRatio: single,
  reflexiveIPAddress: str,
  relayIPAddress: str,
  relayPort: int,
  sentQualityEventRatio: single,
  subnet: str,
  traceRouteHops: z.array(traceRouteHopSchema).nullish(),
  wifiBand: openEnum.nullish(),
  wifiBatteryCharge: int,
  wifiChannel: int,
  wifiMicrosoftDriver: str,
  wifiMicrosoftDriverVersion: str,
  wifiRadioType: openEnum.nullish(),
  wifiSignalStrength: int,
  wifiVendorDriver: str,
  wifiVendorDriverVersion: str,
});

export const deviceInfoSchema = z.looseObject({
  captureDeviceDriver: str,
  captureDeviceName: str,
  captureNotFunctioningEventRatio: single,
  cpuInsufficentEventRatio: single,
  deviceClippingEventRatio: single,
  deviceGlitchEventRatio: single,
  howlingEventCount: int,
  initialSignalLevelRootMeanSquare: single,
  lowSpeechLevelEventRatio: single,
  lowSpeechToNoiseEventRatio: single,
  micGlitchRate: single,
  receivedNoiseLevel: int,
  receivedSignalLevel: int,
  renderDeviceDriver: str,
  renderDeviceName: str,
  renderMuteEventRatio: single,
  renderNotFunctioningEventRatio: single,
  renderZeroVolumeEventRatio: single,
  sentNoiseLevel: int,
  sentSignalLevel: int,
  speakerGlitchRate: single,
});

export const mediaStreamSchema = z.looseObject({
  audioCodec: openEnum.nullish(),
  averageAudioDegradation: single,
  averageAudioNetworkJitter: duration,
  averageBandwidthEstimate: int64,
  averageFreezeDuration: duration,
  averageJitter: duration,
  averagePacketLossRate: single,
  averageRatioOfConcealedSamples: single,
  averageReceivedFrameRate: single,
  averageRoundTripTime: duration,
  averageVideoFrameLossPercentage: single,
  averageVideoFrameRate: single,
  averageVideoPacketLossRate: single,
  endDateTime: dateTime.nullish(),
  isAudioForwardErrorCorrectionUsed: bool,
  lowFrameRateRatio: single,
  lowVideoProcessingCapabilityRatio: single,
  maxAudioNetworkJitter: duration,
  maxJitter: duration,
  maxPacketLossRate: single,
  maxRatioOfConcealedSamples: single,
  maxRoundTripTime: duration,
  packetUtilization: int64,
  postForwardErrorCorrectionPacketLossRate: single,
  rmsFreezeDuration: duration,
  startDateTime: dateTime.nullish(),
  streamDirection: openEnum.nullish(),
  streamId: str,
  videoCodec: openEnum.nullish(),
  wasMediaBypassed: bool,
});

export const mediaSchema = z.looseObject({
  label: str,
  callerDevice: deviceInfoSchema.nullish(),
  calleeDevice: deviceInfoSchema.nullish(),
  callerNetwork: networkInfoSchema.nullish(),
  calleeNetwork: networkInfoSchema.nullish(),
  streams: z.array(mediaStreamSchema).nullish(),
});

export const failureInfoSchema = z.looseObject({ reason: str, stage: openEnum.nullish() });

// A session's and a segment's id and times are always sent, but may be nulled at the door (src/normalize/
// plausibility.ts): a stored record with such a value must still read back (reprocess, same-version merges).
export const segmentSchema = z.looseObject({
  id: str,
  startDateTime: dateTime.nullish(),
  endDateTime: dateTime.nullish(),
  caller: endpointSchema.nullish(),
  callee: endpointSchema.nullish(),
  failureInfo: failureInfoSchema.nullish(),
  media: z.array(mediaSchema).nullish(),
});

export const sessionSchema = z.looseObject({
  id: str,
  startDateTime: dateTime.nullish(),
  endDateTime: dateTime.nullish(),
  modalities: z.array(openEnum).nullish(),
  isTest: bool,
  caller: endpointSchema.nullish(),
  callee: endpointSchema.nullish(),
  failureInfo: failureInfoSchema.nullish(),
  segments: z.array(segmentSchema).nullish(),
  'segments@odata.nextLink': str,
});

export const participantSchema = z.looseObject({
  id: str,
  identity: identitySetSchema.nullish(),
  administrativeUnitInfos: z.array(z.looseObject({ id: str })).nullish(),
});

export const callRecordSchema = z.looseObject({
  id: z
    .string({ message: 'a call record needs a string "id"' })
    .min(1, 'a call record needs a non-empty "id"'),
  version: int64.pipe(z.number({ message: 'a call record needs a numeric "version"' })),
  type: openEnum.nullish(),
  modalities: z.array(openEnum).nullish(),
  lastModifiedDateTime: dateTime.nullish(),
  startDateTime: dateTime,
  endDateTime: dateTime.nullish(),
  joinWebUrl: str,
  organizer: identitySetSchema.nullish(),
  participants: z.array(identitySetSchema).nullish(),
  organizer_v2: participantSchema.nullish(),
  participants_v2: z.array(participantSchema).nullish(),
  'participants_v2@odata.nextLink': str,
  sessions: z.array(sessionSchema).nullish(),
  'sessions@odata.nextLink': str,
});

export const pstnCallLogRowSchema = z.looseObject({
  id: z.string(),
  callId: str,
  userId: str,
  userPrincipalName: str,
  userDisplayName: str,
  startDateTime: dateTime.nullish(),
  endDateTime: dateTime.nullish(),
  duration: int,
  charge: single,
  callType: str,
  currency: str,
  calleeNumber: str,
  usageCountryCode: str,
  tenantCountryCode: str,
  connectionCharge: single,
  callerNumber: str,
  destinationContext: str,
  destinationName: str,
  conferenceId: str,
  licenseCapability: str,
  inventoryType: str,
  operator: str,
  callDurationSource: str,
});

export const directRoutingLogRowSchema = z.looseObject({
  id: z.string(),
  correlationId: str,
  userId: str,
  userPrincipalName: str,
  userDisplayName: str,
  startDateTime: dateTime.nullish(),
  inviteDateTime: dateTime.nullish(),
  failureDateTime: dateTime.nullish(),
  endDateTime: dateTime.nullish(),
  duration: int,
  callType: str,
  successfulCall: bool,
  callerNumber: str,
  calleeNumber: str,
  mediaPathLocation: str,
  signalingLocation: str,
  finalSipCode: int,
  callEndSubReason: int,
  finalSipCodePhrase: str,
  trunkFullyQualifiedDomainName: str,
  mediaBypassEnabled: bool,
});
