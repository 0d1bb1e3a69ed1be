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

// Poor audio rate by the client end's dimensions, classified with calltrove's own CQD rules.
const map = createBuildingMap(parseBuildingFile(twin.buildingsCsv()).buildings);
const tally = new Map<string, { poor: number; classified: number }>();
const count = (key: string, poor: boolean) => {
  const row = tally.get(key) ?? { poor: 0, classified: 0 };
  row.classified++;
  if (poor) row.poor++;
  tally.set(key, row);
};
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
      const version =
        (client === 'caller' ? segment.caller : segment.callee)?.userAgent?.applicationVersion ?? '?';
      for (const media of segment.media ?? []) {
        const net = client === 'caller' ? media.callerNetwork : media.calleeNetwork;
        if (!net || !media.label?.includes('audio')) continue;
        const building = map.lookup(net.ipAddress, net.subnet);
        for (const s of media.streams ?? []) {
          const c = classifyStream(media.label, {
            audioCodec: s.audioCodec,
            averageJitterMs: durationToMs(s.averageJitter),
            averageRoundTripTimeMs: durationToMs(s.averageRoundTripTime),
            averagePacketLossRate: s.averagePacketLossRate,
            averageAudioDegradation: s.averageAudioDegradation,
            averageRatioOfConcealedSamples: s.averageRatioOfConcealedSamples,
            packetUtilization: s.packetUtilization,
          });
          if (c.quality === 'unclassified') continue;
          const poor = c.quality === 'poor';
          count('all', poor);
          count(`connection ${net.connectionType}/${net.wifiBand}`, poor);
          count(
            `building ${building ? (building.vpn ? 'VPN' : building.buildingName) : `(unmapped ${net.subnet?.startsWith('10.') ? net.subnet : 'external'})`}`,
            poor,
          );
          count(`client ${version}`, poor);
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
console.log('  poor audio streams (CQD rules) by the client end:');
for (const [key, row] of [...tally].sort(([a], [b]) => a.localeCompare(b)))
  if (row.classified >= 50)
    console.log(
      `    ${key.padEnd(48)} ${((100 * row.poor) / row.classified).toFixed(1).padStart(5)}%  of ${row.classified}`,
    );
console.log('  planted causes:');
for (const c of twin.causes) console.log(`    ${c.kind.padEnd(14)} ${c.value}: ${c.description}`);
