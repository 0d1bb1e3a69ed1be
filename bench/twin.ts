// `npm run bench:twin`: how fast the Graph twin generates and serves, and whether its planted causes stand out.
// Options: --users N (200) --days N (14) --seed N (1) --records N (full records fetched for the cause table, 1500).
import { ManualClock } from '../src/clock/clock.ts';
import { durationToMs } from '../src/graph/duration.ts';
import { parseCallRecord } from '../src/graph/parse.ts';
import { createBuildingMap, parseBuildingFile } from '../src/quality/buildings.ts';
import { classifyStream } from '../src/quality/classify-stream.ts';
import { graphClient, noThrottle } from '../src/twin/test-client.ts';
import { createTwin } from '../src/twin/twin.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const users = arg('users', 200);
const days = arg('days', 14);
const seed = arg('seed', 1);
const sample = arg('records', 1500);

let t = performance.now();
const twin = createTwin({
  seed,
  users,
  days,
  clock: new ManualClock(Date.UTC(2026, 0, 19, 9)),
  throttle: noThrottle,
});
const generationMs = performance.now() - t;
const graph = await graphClient(twin);

t = performance.now();
const ids: string[] = [];
let next: string | undefined = '/communications/callRecords';
let pages = 0;
while (next) {
  const page: { value: Array<{ id: string }>; '@odata.nextLink'?: string } = await graph.json(next);
  ids.push(...page.value.map((r) => r.id));
  next = page['@odata.nextLink'];
  pages++;
}
const listMs = performance.now() - t;

// Poor rate by the client end's dimensions (CQD's second end), classified with calltrove's own CQD rules.
const map = createBuildingMap(parseBuildingFile(twin.buildingsCsv()).buildings);
const apByBssid = new Map(
  twin
    .accessPointsCsv()
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .map(([bssid, name]) => [bssid, name] as const),
);
const tally = new Map<string, { poor: number; classified: number }>();
const count = (key: string, poor: boolean) => {
  const row = tally.get(key) ?? { poor: 0, classified: 0 };
  row.classified++;
  if (poor) row.poor++;
  tally.set(key, row);
};
const registered = (suffix: string) => suffix.split('.').slice(-2).join('.');
const step = Math.max(1, Math.floor(ids.length / sample));
let bytes = 0;
let fetched = 0;
t = performance.now();
for (let i = 0; i < ids.length; i += step) {
  const text = await (
    await graph.get(`/communications/callRecords/${ids[i]}?$expand=sessions($expand=segments)`)
  ).text();
  bytes += text.length;
  fetched++;
  const record = parseCallRecord(JSON.parse(text));
  for (const session of record.sessions ?? [])
    for (const segment of session.segments ?? []) {
      const client = segment.caller?.['@odata.type']?.endsWith('participantEndpoint') ? 'caller' : 'callee';
      const agent = (client === 'caller' ? segment.caller : segment.callee)?.userAgent;
      for (const media of segment.media ?? []) {
        const net = client === 'caller' ? media.callerNetwork : media.calleeNetwork;
        const device = client === 'caller' ? media.callerDevice : media.calleeDevice;
        const kind = media.label === 'main-audio' ? 'audio' : media.label === 'main-video' ? 'video' : null;
        if (!net || !kind) continue;
        const building = map.lookup(net.ipAddress, net.subnet);
        const corp = !!building;
        const keys = [
          'all',
          `wifi-band=${net.wifiBand}`,
          `vpn=${building?.vpn ? 'true' : 'false'}`,
          `inside-corp=${corp}`,
          `building=${building && !building.vpn ? building.buildingName : ''}`,
          `client-version=${agent?.applicationVersion ?? ''}`,
          `platform=${agent && 'platform' in agent ? agent.platform : ''}`,
          `capture-device=${device?.captureDeviceName ?? ''}`,
          `capture-driver=${device?.captureDeviceDriver ?? ''}`,
          `access-point=${apByBssid.get(net.basicServiceSetIdentifier ?? '') ?? ''}`,
          `isp=${!corp && net.dnsSuffix ? registered(net.dnsSuffix) : ''}`,
          `subnet=${net.subnet ?? ''}`,
        ];
        for (const s of media.streams ?? []) {
          const c = classifyStream(media.label, {
            audioCodec: s.audioCodec,
            averageJitterMs: durationToMs(s.averageJitter),
            averageRoundTripTimeMs: durationToMs(s.averageRoundTripTime),
            averagePacketLossRate: s.averagePacketLossRate,
            averageAudioDegradation: s.averageAudioDegradation,
            averageRatioOfConcealedSamples: s.averageRatioOfConcealedSamples,
            averageVideoFrameLossPercentage: s.averageVideoFrameLossPercentage,
            averageReceivedFrameRate: s.averageReceivedFrameRate,
            averageVideoFrameRate: s.averageVideoFrameRate,
            postForwardErrorCorrectionPacketLossRate: s.postForwardErrorCorrectionPacketLossRate,
            packetUtilization: s.packetUtilization,
          });
          if (c.quality === 'unclassified') continue;
          const poor = c.quality === 'poor';
          const hour = String(new Date(s.startDateTime ?? 0).getUTCHours()).padStart(2, '0');
          for (const key of keys) count(`${kind} ${key}`, poor);
          count(`${kind} subnet=${net.subnet ?? ''}@${hour}`, poor);
        }
      }
    }
}
const fetchMs = performance.now() - t;
twin.stop();

console.log(`twin: ${users} users, ${days} days, seed ${seed}`);
console.log(`  generation       ${generationMs.toFixed(0)} ms`);
console.log(`  list             ${ids.length} records in ${pages} pages, ${listMs.toFixed(0)} ms`);
console.log(
  `  full records     ${fetched} with sessions+segments, ${(bytes / 1e6).toFixed(1)} MB, ${(fetchMs / fetched).toFixed(2)} ms each`,
);
/** Streams, poor %, and the excess poor streams over the media's overall rate of a group (hours: summed). */
function group(media: string, dimension: string, value: string, hours?: string[]) {
  const keys = hours
    ? hours.map((h) => `${media} ${dimension}=${value}@${h}`)
    : [`${media} ${dimension}=${value}`];
  const rows = keys.map((k) => tally.get(k) ?? { poor: 0, classified: 0 });
  const poor = rows.reduce((a, r) => a + r.poor, 0);
  const classified = rows.reduce((a, r) => a + r.classified, 0);
  const all = tally.get(`${media} all`) ?? { poor: 0, classified: 1 };
  const excess = poor - (classified * all.poor) / all.classified;
  return `${((100 * poor) / Math.max(1, classified)).toFixed(1).padStart(5)}% of ${String(classified).padStart(5)}, excess ${excess.toFixed(0).padStart(4)}`;
}
for (const media of ['audio', 'video']) {
  const all = tally.get(`${media} all`);
  if (all)
    console.log(
      `  ${media}: ${((100 * all.poor) / all.classified).toFixed(1)}% poor of ${all.classified} classified`,
    );
}
console.log(
  '  planted causes (poor % of classified streams by the client end, excess over the overall rate):',
);
for (const c of twin.causes) {
  if (!c.media) {
    console.log(`    ${c.kind.padEnd(18)} ${c.dimension}=${c.value} (not a quality cause)`);
    continue;
  }
  const at = c.hours ? ` at ${c.hours.join(',')}` : '';
  console.log(
    `    ${c.kind.padEnd(18)} ${group(c.media, c.dimension, c.value, c.hours)}  ${c.dimension}=${c.value}${at}`,
  );
  for (const l of c.lookAlikes)
    console.log(
      `      look-alike       ${group(c.media, l.dimension, l.value, l.hours)}  ${l.dimension}=${l.value}${l.hours ? ` at ${l.hours.join(',')}` : ''}`,
    );
}
