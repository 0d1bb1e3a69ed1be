// CQD stream classification (shared/cqd-quality-rules.md): media type from the label, good/poor/unclassified,
// and the metrics that crossed a threshold. Pure: no I/O, no dates.

export type MediaType = 'audio' | 'video' | 'vbss' | 'other';
export type StreamQuality = 'good' | 'poor' | 'unclassified';
export type AudioPoorReason = 'jitter' | 'roundTrip' | 'packetLoss' | 'degradation' | 'concealedRatio';
export type VideoPoorReason = 'frameLoss' | 'frameRate' | 'postFecPacketLoss';
export type PoorReason = AudioPoorReason | VideoPoorReason;

/** The stream metrics classification reads, durations already in milliseconds. */
export interface StreamMetrics {
  audioCodec?: string | null;
  averageJitterMs?: number | null;
  averageRoundTripTimeMs?: number | null;
  averagePacketLossRate?: number | null;
  averageAudioDegradation?: number | null;
  averageRatioOfConcealedSamples?: number | null;
  averageVideoFrameLossPercentage?: number | null;
  averageReceivedFrameRate?: number | null;
  averageVideoFrameRate?: number | null;
  postForwardErrorCorrectionPacketLossRate?: number | null;
  packetUtilization?: number | null;
}

export interface StreamClassification {
  mediaType: MediaType;
  quality: StreamQuality;
  poorReasons: PoorReason[];
}

/** CQD's thresholds; a value exactly at a threshold is not poor. */
export const thresholds = {
  audio: {
    degradation: 1.0,
    roundTripMs: 500,
    packetLoss: 0.1,
    jitterMs: 30,
    concealedRatio: 0.07,
    minPackets: 1000,
  },
  video: { frameLossPercent: 50, frameRate: 7, postFecPacketLoss: 0.15 },
  vbss: { frameLossPercent: 50, frameRate: 2, postFecPacketLoss: 0.15 },
} as const;

export function mediaTypeOf(label: string | null | undefined): MediaType {
  const l = (label ?? '').toLowerCase();
  if (l.includes('applicationsharing')) return 'vbss';
  if (l.includes('audio')) return 'audio';
  if (l.includes('video')) return 'video';
  return 'other';
}

const known = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** SATIN's own concealment and degradation figures are not comparable, so CQD leaves them out for it. */
function isSatin(codec: string | null | undefined): boolean {
  return (codec ?? '').toLowerCase().startsWith('satin');
}

function classifyAudio(m: StreamMetrics): Omit<StreamClassification, 'mediaType'> {
  const t = thresholds.audio;
  if (known(m.packetUtilization) && m.packetUtilization < t.minPackets)
    return { quality: 'unclassified', poorReasons: [] };
  const satin = isSatin(m.audioCodec);
  const checks: Array<[AudioPoorReason, number | null | undefined, number]> = [
    ['jitter', m.averageJitterMs, t.jitterMs],
    ['roundTrip', m.averageRoundTripTimeMs, t.roundTripMs],
    ['packetLoss', m.averagePacketLossRate, t.packetLoss],
    ['degradation', satin ? null : m.averageAudioDegradation, t.degradation],
    ['concealedRatio', satin ? null : m.averageRatioOfConcealedSamples, t.concealedRatio],
  ];
  const available = checks.filter(([, v]) => known(v));
  if (available.length === 0) return { quality: 'unclassified', poorReasons: [] };
  const poorReasons = available.filter(([, v, limit]) => (v as number) > limit).map(([r]) => r);
  return { quality: poorReasons.length > 0 ? 'poor' : 'good', poorReasons };
}

function classifyVideoLike(
  m: StreamMetrics,
  t: (typeof thresholds)['video' | 'vbss'],
): Omit<StreamClassification, 'mediaType'> {
  if (known(m.averageVideoFrameLossPercentage)) {
    const poor = m.averageVideoFrameLossPercentage > t.frameLossPercent;
    return { quality: poor ? 'poor' : 'good', poorReasons: poor ? ['frameLoss'] : [] };
  }
  const frameRate = known(m.averageReceivedFrameRate) ? m.averageReceivedFrameRate : m.averageVideoFrameRate;
  if (known(frameRate)) {
    const poor = frameRate < t.frameRate;
    return { quality: poor ? 'poor' : 'good', poorReasons: poor ? ['frameRate'] : [] };
  }
  if (known(m.postForwardErrorCorrectionPacketLossRate)) {
    const poor = m.postForwardErrorCorrectionPacketLossRate > t.postFecPacketLoss;
    return { quality: poor ? 'poor' : 'good', poorReasons: poor ? ['postFecPacketLoss'] : [] };
  }
  return { quality: 'unclassified', poorReasons: [] };
}

export function classifyStream(
  label: string | null | undefined,
  metrics: StreamMetrics,
): StreamClassification {
  const mediaType = mediaTypeOf(label);
  switch (mediaType) {
    case 'audio':
      return { mediaType, ...classifyAudio(metrics) };
    case 'video':
      return { mediaType, ...classifyVideoLike(metrics, thresholds.video) };
    case 'vbss':
      return { mediaType, ...classifyVideoLike(metrics, thresholds.vbss) };
    default:
      return { mediaType, quality: 'unclassified', poorReasons: [] };
  }
}
