// The text view's sections of one media: both ends in the admin center's groups (Device, System, Connectivity,
// Network) and the streams per media type and direction, in the dashboard's labels and units; a value past a CQD
// threshold ends in (!), one in the watch range in (?), and each rule crossed is listed under the streams.
import { type End, type EndRow, endGroups, endsOf } from '../../format/call-ends.ts';
import { arr, flagOf, type JsonObject, num, str, units } from '../../format/call-values.ts';

/** Rules crossed while writing one media, listed once under it. */
type Notes = Map<string, string>;

function mark(text: string | null, o: JsonObject | null, property: string, notes: Notes): string | null {
  if (text === null) return null;
  const f = flagOf(o, property);
  if (!f) return text;
  notes.set(f.rule || property, f.level);
  return `${text} ${f.level === 'poor' ? '(!)' : '(?)'}`;
}

/** One end's value in a row of the shared table (src/format/call-ends.ts), marked when the server flagged it. */
function cell(value: EndRow[1], x: End, notes: Notes): string | null {
  const c = value(x);
  return c.judged ? mark(c.text, c.judged.of, c.judged.property, notes) : c.text;
}

const reasonWords: Record<string, string> = {
  jitter: 'jitter > 30 ms',
  roundTrip: 'round trip > 500 ms',
  packetLoss: 'packet loss > 10%',
  degradation: 'MOS degradation > 1.0',
  concealedRatio: 'concealed > 7%',
  frameLoss: 'frame loss > 50%',
  frameRate: 'frame rate too low',
  postFecPacketLoss: 'post-FEC loss > 15%',
};
const mediaTitles: Record<string, string> = {
  audio: 'Audio',
  video: 'Video',
  vbss: 'Screen sharing',
  other: 'Other media',
};
const direction = (d: string | null) =>
  d === 'callerToCallee' ? 'Caller → callee' : d === 'calleeToCaller' ? 'Callee → caller' : (d ?? '?');

function streamLine(s: JsonObject, notes: Notes): string {
  const ms = (p: string) => mark(units.ms(num(s[`${p}Ms`])), s, p, notes);
  const ratio = (p: string) => mark(units.ratio(num(s[p])), s, p, notes);
  const type = str(s.mediaType) ?? 'other';
  const quality = str(s.quality) ?? 'unclassified';
  const parts: (string | null)[] = [direction(str(s.streamDirection)).padEnd(16), quality.padEnd(12)];
  const labelled = (label: string, v: string | null) => (v === null ? null : `${label} ${v}`);
  if (type === 'video' || type === 'vbss') {
    const received = num(s.averageReceivedFrameRate) !== null;
    const fpsKey = received ? 'averageReceivedFrameRate' : 'averageVideoFrameRate';
    parts.push(
      labelled('frame rate', mark(units.fps(num(s[fpsKey])), s, fpsKey, notes)),
      labelled(
        'frame loss',
        mark(
          units.percent(num(s.averageVideoFrameLossPercentage)),
          s,
          'averageVideoFrameLossPercentage',
          notes,
        ),
      ),
      labelled('post-FEC loss', ratio('postForwardErrorCorrectionPacketLossRate')),
      labelled('round trip', units.ms(num(s.averageRoundTripTimeMs))),
    );
  } else {
    parts.push(
      labelled('jitter', ms('averageJitter')),
      labelled('loss', ratio('averagePacketLossRate')),
      labelled('round trip', ms('averageRoundTripTime')),
      labelled('concealed', ratio('averageRatioOfConcealedSamples')),
      labelled(
        'MOS degradation',
        mark(units.plain(num(s.averageAudioDegradation)), s, 'averageAudioDegradation', notes),
      ),
    );
  }
  parts.push(
    labelled('bandwidth', units.kbps(num(s.averageBandwidthEstimate))),
    str(s.audioCodec) ?? str(s.videoCodec),
    labelled('packets', num(s.packetUtilization)?.toLocaleString('en-US') ?? null),
  );
  const reasons = Array.isArray(s.poorReasons) ? (s.poorReasons as string[]) : [];
  if (quality === 'poor' && reasons.length)
    parts.push(`poor: ${reasons.map((r) => reasonWords[r] ?? r).join('; ')}`);
  if (quality === 'unclassified')
    parts.push(`unclassified: ${str(s.unclassifiedBecause) ?? 'not classified'}`);
  return parts.filter((p): p is string => p !== null && p !== '').join('  ');
}

/** The lines of one media, indented by `pad`. */
export function mediaLines(
  caller: JsonObject | null,
  callee: JsonObject | null,
  m: JsonObject,
  pad: string,
): string[] {
  const streams = arr(m.streams);
  const [a, b] = endsOf(caller, callee, m);
  const notes: Notes = new Map();
  const out: string[] = [`${pad}${str(m.label) ?? '(no label)'}  ${streams.length} stream(s)`];
  const rows = endGroups.map(
    ([g, list]) =>
      [
        g,
        list
          .map(([label, f]) => [label, cell(f, a, notes) ?? '–', cell(f, b, notes) ?? '–'] as const)
          .filter(([, x, y]) => x !== '–' || y !== '–'),
      ] as const,
  );
  const width = Math.max(0, ...rows.flatMap(([, list]) => list.map(([, x]) => x.length)));
  for (const [g, list] of rows) {
    if (list.length === 0) continue;
    out.push(`${pad}  ${g.padEnd(24)}${'caller'.padEnd(width + 2)}callee`);
    for (const [label, x, y] of list)
      out.push(`${pad}    ${label.padEnd(22)}${x.padEnd(width + 2)}${y}`.trimEnd());
  }
  for (const type of ['audio', 'video', 'vbss', 'other']) {
    const mine = streams.filter((s) => (str(s.mediaType) ?? 'other') === type);
    if (mine.length === 0) continue;
    out.push(`${pad}  ${mediaTitles[type]} streams`);
    for (const s of mine) out.push(`${pad}    ${streamLine(s, notes)}`);
  }
  if (notes.size) {
    out.push(`${pad}  (!) past a CQD threshold, (?) in the watch range:`);
    for (const [rule, level] of notes) out.push(`${pad}    ${level === 'poor' ? '(!)' : '(?)'} ${rule}`);
  }
  return out;
}
