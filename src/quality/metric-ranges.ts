// Red and yellow for single values of a call: CQD's poor thresholds (and TAC's "not functioning") as `poor`, a
// "watch" range below them, each with the rule in words; and why a stream is unclassified. Pure.
import { type MediaType, thresholds } from './classify-stream.ts';

export type FlagLevel = 'poor' | 'watch';

export interface Flag {
  level: FlagLevel;
  /** The rule the value crossed, in words (the dashboard's tooltip, the CLI's note). */
  rule: string;
}

/** One metric's ranges; `value` reads the metric from a Graph-shaped object (durations as `<name>Ms`). */
interface Range {
  /** Graph's property name the flag is keyed by. */
  property: string;
  what: string;
  unit: string;
  /** `above`: higher is worse; `below`: lower is worse. */
  worse: 'above' | 'below';
  poor?: number;
  watch: number;
  /** Where the poor threshold comes from. */
  source: string;
  /** True when a value exactly at the poor threshold is already poor (TAC's ≥ 0.005). */
  inclusive?: boolean;
  /** Shown values are multiplied by this (ratios as percent). */
  scale?: number;
  value?: (o: Record<string, unknown>) => unknown;
  /** The property the flag is keyed by when it depends on what was reported (received frame rate, else sent). */
  keyOf?: (o: Record<string, unknown>) => string;
}

const ms = (p: string) => (o: Record<string, unknown>) => o[`${p}Ms`];
const cqd = 'CQD stream classification';
const own = "calltrove's own range (CQD publishes none)";

const audioRanges = (satin: boolean): Range[] => [
  {
    property: 'averageJitter',
    what: 'jitter',
    unit: 'ms',
    worse: 'above',
    poor: thresholds.audio.jitterMs,
    watch: 15,
    source: cqd,
    value: ms('averageJitter'),
  },
  {
    property: 'averageRoundTripTime',
    what: 'round trip',
    unit: 'ms',
    worse: 'above',
    poor: thresholds.audio.roundTripMs,
    watch: 100,
    source: cqd,
    value: ms('averageRoundTripTime'),
  },
  {
    property: 'averagePacketLossRate',
    what: 'packet loss',
    unit: '%',
    scale: 100,
    worse: 'above',
    poor: thresholds.audio.packetLoss,
    watch: 0.01,
    source: cqd,
  },
  ...(satin
    ? []
    : ([
        {
          property: 'averageAudioDegradation',
          what: 'network MOS degradation',
          unit: '',
          worse: 'above',
          poor: thresholds.audio.degradation,
          watch: 0.5,
          source: cqd,
        },
        {
          property: 'averageRatioOfConcealedSamples',
          what: 'concealed samples',
          unit: '%',
          scale: 100,
          worse: 'above',
          poor: thresholds.audio.concealedRatio,
          watch: 0.03,
          source: cqd,
        },
      ] satisfies Range[])),
];

function videoRanges(t: (typeof thresholds)['video' | 'vbss'], watchFps: number): Range[] {
  const frameRate = (o: Record<string, unknown>) =>
    typeof o.averageReceivedFrameRate === 'number' ? o.averageReceivedFrameRate : o.averageVideoFrameRate;
  return [
    {
      property: 'averageVideoFrameLossPercentage',
      what: 'frame loss',
      unit: '%',
      worse: 'above',
      poor: t.frameLossPercent,
      watch: 10,
      source: cqd,
    },
    {
      property: 'averageReceivedFrameRate',
      what: 'frame rate',
      unit: 'fps',
      worse: 'below',
      poor: t.frameRate,
      watch: watchFps,
      source: cqd,
      value: frameRate,
      keyOf: (o) =>
        typeof o.averageReceivedFrameRate === 'number' ? 'averageReceivedFrameRate' : 'averageVideoFrameRate',
    },
    {
      property: 'postForwardErrorCorrectionPacketLossRate',
      what: 'post-FEC packet loss',
      unit: '%',
      scale: 100,
      worse: 'above',
      poor: t.postFecPacketLoss,
      watch: 0.05,
      source: cqd,
    },
  ];
}

const notFunctioning = (property: string, what: string): Range => ({
  property,
  what,
  unit: '%',
  scale: 100,
  worse: 'above',
  poor: 0.005,
  inclusive: true,
  watch: 0,
  source: 'admin center call analytics: device not functioning',
});
const eventRatio = (property: string, what: string): Range => ({
  property,
  what,
  unit: '%',
  scale: 100,
  worse: 'above',
  poor: 0.05,
  watch: 0.01,
  source: own,
});

const deviceRanges: Range[] = [
  notFunctioning('captureNotFunctioningEventRatio', 'microphone not functioning'),
  notFunctioning('renderNotFunctioningEventRatio', 'speaker not functioning'),
  eventRatio('deviceGlitchEventRatio', 'device glitches'),
  eventRatio('deviceClippingEventRatio', 'clipping'),
  eventRatio('lowSpeechLevelEventRatio', 'low speech level'),
  eventRatio('lowSpeechToNoiseEventRatio', 'low speech-to-noise'),
  eventRatio('cpuInsufficentEventRatio', 'CPU insufficient'),
  {
    property: 'micGlitchRate',
    what: 'microphone glitches',
    unit: 'per 5 min',
    worse: 'above',
    poor: 10,
    watch: 1,
    source: own,
  },
  {
    property: 'speakerGlitchRate',
    what: 'speaker glitches',
    unit: 'per 5 min',
    worse: 'above',
    poor: 10,
    watch: 1,
    source: own,
  },
  {
    property: 'howlingEventCount',
    what: 'howling (echo loop) events',
    unit: '',
    worse: 'above',
    watch: 0,
    source: own,
  },
];

const networkRanges: Range[] = [
  {
    property: 'wifiSignalStrength',
    what: 'Wi-Fi signal',
    unit: '%',
    worse: 'below',
    poor: 50,
    watch: 70,
    source: own,
  },
  { property: 'wifiBatteryCharge', what: 'battery', unit: '%', worse: 'below', watch: 20, source: own },
  eventRatio('delayEventRatio', 'network delay events'),
  eventRatio('bandwidthLowEventRatio', 'low bandwidth events'),
  eventRatio('sentQualityEventRatio', 'sent quality events'),
  eventRatio('receivedQualityEventRatio', 'received quality events'),
];

function shown(r: Range, v: number): string {
  const n = +(v * (r.scale ?? 1)).toFixed(3);
  return `${n}${r.unit === '%' ? '%' : r.unit ? ` ${r.unit}` : ''}`;
}

function judge(r: Range, v: number): Flag | undefined {
  const op = r.worse === 'above' ? '>' : '<';
  const crosses = (limit: number, inclusive = false) =>
    r.worse === 'above' ? v > limit || (inclusive && v === limit) : v < limit || (inclusive && v === limit);
  if (r.poor !== undefined && crosses(r.poor, r.inclusive))
    return {
      level: 'poor',
      rule: `${r.what} ${r.inclusive ? (op === '>' ? '≥' : '≤') : op} ${shown(r, r.poor)} is poor (${r.source})`,
    };
  if (crosses(r.watch))
    return {
      level: 'watch',
      rule: `${r.what} ${op} ${shown(r, r.watch)}${r.poor !== undefined ? ` (poor ${r.inclusive ? (op === '>' ? '≥' : '≤') : op} ${shown(r, r.poor)})` : ''}: watch (${r.source === cqd ? "calltrove's watch range below CQD's threshold" : r.source})`,
    };
  return undefined;
}

function flagsOf(ranges: readonly Range[], o: Record<string, unknown>): Record<string, Flag> {
  const out: Record<string, Flag> = {};
  for (const r of ranges) {
    const v = r.value ? r.value(o) : o[r.property];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const f = judge(r, v);
    if (f) out[r.keyOf ? r.keyOf(o) : r.property] = f;
  }
  return out;
}

const isSatin = (codec: unknown) => typeof codec === 'string' && codec.toLowerCase().startsWith('satin');

/** Flags of a Graph mediaStream (durations also as `<name>Ms`), keyed by Graph's property names. */
export function streamFlags(
  mediaType: MediaType | string,
  stream: Record<string, unknown>,
): Record<string, Flag> {
  if (mediaType === 'audio') return flagsOf(audioRanges(isSatin(stream.audioCodec)), stream);
  if (mediaType === 'video') return flagsOf(videoRanges(thresholds.video, 15), stream);
  if (mediaType === 'vbss') return flagsOf(videoRanges(thresholds.vbss, 5), stream);
  return {};
}

/** Flags of a Graph deviceInfo. */
export const deviceFlags = (device: Record<string, unknown>): Record<string, Flag> =>
  flagsOf(deviceRanges, device);

/** Flags of a Graph networkInfo. */
export const networkFlags = (network: Record<string, unknown>): Record<string, Flag> =>
  flagsOf(networkRanges, network);

export type UnclassifiedReason = 'fewPackets' | 'noMetrics' | 'notAudioOrVideo';

export const unclassifiedReasonText: Record<UnclassifiedReason, string> = {
  fewPackets: `fewer than ${thresholds.audio.minPackets} packets: too few to judge (CQD leaves such audio unclassified, e.g. a muted listener's outbound stream)`,
  noMetrics:
    'no quality metric reported (no QoE report received, connectivity failed or a very short stream)',
  notAudioOrVideo: 'neither audio, video nor screen sharing: CQD classifies only those',
};

/** Why an unclassified stream is unclassified, in CQD's order of rules; null for a classified one. */
export function unclassifiedReason(
  mediaType: MediaType | string,
  quality: string,
  stream: Record<string, unknown>,
): UnclassifiedReason | null {
  if (quality !== 'unclassified') return null;
  if (mediaType !== 'audio' && mediaType !== 'video' && mediaType !== 'vbss') return 'notAudioOrVideo';
  const packets = stream.packetUtilization;
  if (mediaType === 'audio' && typeof packets === 'number' && packets < thresholds.audio.minPackets)
    return 'fewPackets';
  return 'noMetrics';
}
