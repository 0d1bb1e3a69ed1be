// A segment's streams in the admin center's order: Audio, Video, Screen sharing, one table each with one row per
// direction; every value with its unit, red or yellow when it crosses a CQD threshold or its watch range (the
// rule on hover), poor streams with their reasons and unclassified ones with why.
import type { JsonObject } from '../../../src/analytics/call-views.ts';
import { type Child, h } from '../ui/dom.ts';
import { arr, avgMax, flagged, fmt, numv, str } from './call-values.ts';

/** Names shown for CQD's poor reasons (see shared/cqd-quality-rules.md). */
export const reasonLabels: Record<string, string> = {
  jitter: 'jitter > 30 ms',
  roundTrip: 'round trip > 500 ms',
  packetLoss: 'packet loss > 10%',
  degradation: 'MOS degradation > 1.0',
  concealedRatio: 'concealed > 7%',
  frameLoss: 'frame loss > 50%',
  frameRate: 'frame rate too low',
  postFecPacketLoss: 'post-FEC loss > 15%',
};

/** Which end sends a stream, in words: "Caller → Callee". */
export function directionLabel(d: string | null): string {
  return d === 'callerToCallee' ? 'Caller → callee' : d === 'calleeToCaller' ? 'Callee → caller' : (d ?? '–');
}

type Column = [string, (s: JsonObject) => Child];

const ms = (s: JsonObject, p: string) => flagged(fmt.ms(numv(s[`${p}Ms`])), s, p);
const ratio = (s: JsonObject, p: string) => flagged(fmt.ratio(numv(s[p])), s, p);

const common: Column[] = [
  ['Codec', (s) => str(s.audioCodec) ?? str(s.videoCodec)],
  ['Bandwidth estimate', (s) => fmt.kbps(numv(s.averageBandwidthEstimate))],
  ['Packets', (s) => numv(s.packetUtilization)?.toLocaleString('en-US') ?? null],
];

const audioColumns: Column[] = [
  ['Jitter avg / max', (s) => avgMax(ms(s, 'averageJitter'), fmt.ms(numv(s.maxJitterMs)))],
  [
    'Packet loss avg / max',
    (s) => avgMax(ratio(s, 'averagePacketLossRate'), fmt.ratio(numv(s.maxPacketLossRate))),
  ],
  ['Round trip avg / max', (s) => avgMax(ms(s, 'averageRoundTripTime'), fmt.ms(numv(s.maxRoundTripTimeMs)))],
  [
    'Concealed avg / max',
    (s) => avgMax(ratio(s, 'averageRatioOfConcealedSamples'), fmt.ratio(numv(s.maxRatioOfConcealedSamples))),
  ],
  [
    'MOS degradation',
    (s) => flagged(fmt.plain(numv(s.averageAudioDegradation)), s, 'averageAudioDegradation'),
  ],
  [
    'Network jitter avg / max',
    (s) => avgMax(fmt.ms(numv(s.averageAudioNetworkJitterMs)), fmt.ms(numv(s.maxAudioNetworkJitterMs))),
  ],
  ['FEC', (s) => fmt.yesNo(s.isAudioForwardErrorCorrectionUsed)],
  ...common,
];

const videoColumns: Column[] = [
  [
    'Frame rate',
    (s) =>
      numv(s.averageReceivedFrameRate) !== null
        ? flagged(fmt.fps(numv(s.averageReceivedFrameRate)), s, 'averageReceivedFrameRate')
        : flagged(fmt.fps(numv(s.averageVideoFrameRate)), s, 'averageVideoFrameRate'),
  ],
  [
    'Frame loss',
    (s) =>
      flagged(fmt.percent(numv(s.averageVideoFrameLossPercentage)), s, 'averageVideoFrameLossPercentage'),
  ],
  ['Post-FEC loss', (s) => ratio(s, 'postForwardErrorCorrectionPacketLossRate')],
  ['Video packet loss', (s) => fmt.ratio(numv(s.averageVideoPacketLossRate))],
  [
    'Freeze avg / RMS',
    (s) => avgMax(fmt.ms(numv(s.averageFreezeDurationMs)), fmt.ms(numv(s.rmsFreezeDurationMs))),
  ],
  ['Low frame rate time', (s) => fmt.ratio(numv(s.lowFrameRateRatio))],
  ['Low processing time', (s) => fmt.ratio(numv(s.lowVideoProcessingCapabilityRatio))],
  ['Jitter', (s) => fmt.ms(numv(s.averageJitterMs))],
  ['Round trip', (s) => fmt.ms(numv(s.averageRoundTripTimeMs))],
  ...common,
];

const kinds: [string, string, Column[]][] = [
  ['audio', 'Audio', audioColumns],
  ['video', 'Video', videoColumns],
  ['vbss', 'Screen sharing', videoColumns],
  ['other', 'Other media', [...audioColumns]],
];

const present = (c: Child) => c !== null && c !== undefined && c !== false && c !== '';

function why(s: JsonObject): Child {
  const quality = str(s.quality) ?? 'unclassified';
  if (quality === 'poor') {
    const reasons = Array.isArray(s.poorReasons) ? (s.poorReasons as string[]) : [];
    return reasons.map((r) => reasonLabels[r] ?? r).join('; ');
  }
  if (quality === 'unclassified') return str(s.unclassifiedBecause) ?? 'not classified';
  return '';
}

/** One table per media type present, streams as rows; columns no stream reports are left out. */
export function streamTables(media: JsonObject[], label: string): HTMLElement[] {
  const streams: JsonObject[] = media.flatMap((m) =>
    arr(m.streams).map((s): JsonObject => ({ ...s, label: str(m.label) ?? 'media' })),
  );
  return kinds.flatMap(([type, title, columns]) => {
    const mine = streams.filter((s) => (str(s.mediaType) ?? 'other') === type);
    if (mine.length === 0) return [];
    const cells = mine.map((s) => columns.map(([, f]) => f(s)));
    const keep = columns.map((_, i) => cells.some((row) => present(row[i])));
    return [
      h(
        'table',
        { class: 'data compact streams', 'data-streams': label, 'data-media': type },
        h('caption', null, `${title} streams of ${label}`),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Direction'),
            h('th', { scope: 'col' }, 'Quality'),
            h('th', { scope: 'col' }, 'Why'),
            columns.filter((_, i) => keep[i]).map(([c]) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          null,
          mine.map((s, j) => {
            const quality = str(s.quality) ?? 'unclassified';
            return h(
              'tr',
              {
                class: quality === 'poor' ? 'poor' : null,
                'data-quality': quality,
                'data-stream': str(s.streamId),
                'data-unclassified': str(s.unclassifiedReason),
              },
              h(
                'th',
                { scope: 'row', class: 'nowrap', title: `media label: ${str(s.label)}` },
                directionLabel(str(s.streamDirection)),
              ),
              h('td', null, h('span', { class: `badge ${quality}` }, quality)),
              h('td', { class: 'reasons' }, why(s)),
              cells[j].filter((_, i) => keep[i]).map((c) => h('td', { class: 'num' }, present(c) ? c : '–')),
            );
          }),
        ),
      ),
    ];
  });
}
