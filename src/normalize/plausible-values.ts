// What Graph can send, per value: the ranges, time bounds and string limits the plausibility step holds records to.
import { durationToMs } from '../graph/duration.ts';

/**
 * How far a session may reach outside its call, and a stream or segment outside its session: clocks of the
 * client, the relay and the conference service differ by a few seconds, and Graph rounds some times to the
 * second. Beyond this a time is wrong, not skewed (docs/security.md).
 */
export const containmentToleranceMs = 60_000;
/** The longest call record kept with its end: Teams ends a meeting after 30 hours, a call long before a week. */
export const maxCallMs = 7 * 86_400_000;
/** Timestamps outside these years are not Teams' (and year 275760 breaks PostgreSQL's partition bounds). */
export const earliestTimeMs = Date.UTC(2000, 0, 1);
export const latestTimeMs = Date.UTC(2100, 0, 1);
/**
 * Longest string kept in a column: dimension values become rollup keys, and PostgreSQL's index entries cannot
 * exceed 2,704 bytes (600 four-byte characters). Graph's names, UPNs, devices and versions are far shorter.
 */
export const maxTextLength = 512;
/** Free text Graph sends longer (the meeting link, Rate My Call comments, user-agent headers, next links). */
export const maxLongTextLength = 16_384;
export const longTextKeys: ReadonlySet<string> = new Set(['joinWebUrl', 'text', 'headerValue', '@odata.id']);
/** A call record id longer than this is not Graph's (GUIDs are 36 characters). */
export const maxIdLength = 256;

/** An ISO-8601 date-time with a zone, as Graph serializes DateTimeOffset (fraction of up to 7+ digits). */
const zonedDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export type TimeCheck = { ms: number } | { problem: string };

/** A timestamp's epoch ms, or why it cannot be one Graph sent. */
export function checkTime(value: string): TimeCheck {
  if (!zonedDateTime.test(value))
    return { problem: 'not an ISO-8601 date-time with a time zone (such as 2026-01-31T10:00:00Z)' };
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < earliestTimeMs || ms >= latestTimeMs)
    return { problem: 'a date-time outside the years 2000-2099' };
  return { ms };
}

export interface Range {
  min: number;
  max: number;
  /** Values are ISO-8601 durations, the range in milliseconds. */
  duration?: boolean;
  /** Only whole numbers (counts, Int64 values: never beyond 2^53, where the two databases would differ). */
  whole?: boolean;
}

const ratio: Range = { min: 0, max: 1 };
const percent: Range = { min: 0, max: 100 };
const nonNegative: Range = { min: 0, max: Number.MAX_VALUE };
const count: Range = { min: 0, max: Number.MAX_SAFE_INTEGER, whole: true };
const atLeastOne: Range = { min: 1, max: Number.MAX_SAFE_INTEGER, whole: true };
const port: Range = { min: 0, max: 65_535, whole: true };
/** Jitter and round trips: a minute is far beyond the point where Teams drops the media. */
const networkDelay: Range = { min: 0, max: 60_000, duration: true };
const callLength: Range = { min: 0, max: maxCallMs, duration: true };

/** mediaStream, deviceInfo, networkInfo, traceRouteHop and endpoint properties with a range (Graph's names). */
export const ranges: Readonly<Record<string, Range>> = {
  // mediaStream
  averageAudioDegradation: { min: 0, max: 5 },
  averageAudioNetworkJitter: networkDelay,
  maxAudioNetworkJitter: networkDelay,
  averageJitter: networkDelay,
  maxJitter: networkDelay,
  averageRoundTripTime: networkDelay,
  maxRoundTripTime: networkDelay,
  averageFreezeDuration: callLength,
  rmsFreezeDuration: callLength,
  averageBandwidthEstimate: count,
  packetUtilization: count,
  averagePacketLossRate: ratio,
  maxPacketLossRate: ratio,
  averageVideoPacketLossRate: ratio,
  postForwardErrorCorrectionPacketLossRate: ratio,
  averageRatioOfConcealedSamples: ratio,
  maxRatioOfConcealedSamples: ratio,
  lowFrameRateRatio: ratio,
  lowVideoProcessingCapabilityRatio: ratio,
  averageVideoFrameLossPercentage: percent,
  averageReceivedFrameRate: { min: 0, max: 1_000 },
  averageVideoFrameRate: { min: 0, max: 1_000 },
  // deviceInfo
  captureNotFunctioningEventRatio: ratio,
  cpuInsufficentEventRatio: ratio,
  deviceClippingEventRatio: ratio,
  deviceGlitchEventRatio: ratio,
  lowSpeechLevelEventRatio: ratio,
  lowSpeechToNoiseEventRatio: ratio,
  renderMuteEventRatio: ratio,
  renderNotFunctioningEventRatio: ratio,
  renderZeroVolumeEventRatio: ratio,
  howlingEventCount: count,
  micGlitchRate: nonNegative,
  speakerGlitchRate: nonNegative,
  initialSignalLevelRootMeanSquare: nonNegative,
  // networkInfo
  bandwidthLowEventRatio: ratio,
  delayEventRatio: ratio,
  receivedQualityEventRatio: ratio,
  sentQualityEventRatio: ratio,
  linkSpeed: count,
  port,
  relayPort: port,
  wifiBatteryCharge: percent,
  wifiSignalStrength: percent,
  wifiChannel: count,
  // traceRouteHop (numbered from 0 by some clients, and by the twin)
  hopCount: count,
  roundTripTime: networkDelay,
  // endpoint
  cpuCoresCount: atLeastOne,
  cpuProcessorSpeedInMhz: atLeastOne,
};

/** Why a value is outside its range, or undefined when it is inside (null and absent values always are). */
export function outOfRange(value: unknown, range: Range): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (range.duration) {
    if (typeof value !== 'string') return undefined;
    // Graph's usual spelling (PT0.016S) read without the general pattern: this runs for every stream metric.
    if (value.startsWith('PT') && value.endsWith('S') && value.length < 16) {
      const seconds = Number(value.slice(2, -1));
      if (seconds >= 0 && seconds * 1000 <= range.max) return undefined;
    }
    const ms = durationToMs(value);
    if (ms === undefined || ms === null) return undefined;
    if (ms < range.min) return 'a negative duration';
    if (ms > range.max) return `a duration above ${range.max / 1000} s`;
    return undefined;
  }
  if (typeof value !== 'number') return undefined;
  if (range.whole && !Number.isSafeInteger(value)) return 'not a whole number within 2^53';
  if (value < range.min) return `below ${range.min}`;
  if (value > range.max) return `above ${range.max}`;
  return undefined;
}

/** A value as a warning may show it: numbers, durations and times as they are (shortened); never text. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return /^[-+\dPTHMSDZ:.\s]*$/i.test(value) ? shown : `a text of ${value.length} characters`;
  }
  return JSON.stringify(value) ?? String(value);
}
