// Reliability on hand-made records with known answers: failures placed on their own network, on the same user's
// nearest successful session within 4 hours (marked inferred), or left unknown; declines apart; QER internal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { getQualityTargets } from './get-quality-targets.ts';
import { getReliability } from './get-reliability.ts';
import { listFailedStreams } from './list-failed-streams.ts';

const day = Date.UTC(2024, 4, 1);
const at = (h: number, m = 0) => new Date(day + h * 3_600_000 + m * 60_000).toISOString();

interface Net {
  ip: string;
  subnet: string;
  type: string;
  band?: string;
}
const alphaWired: Net = { ip: '10.1.0.5', subnet: '10.1.0.0', type: 'wired' };
const alphaWifi: Net = { ip: '10.1.0.9', subnet: '10.1.0.0', type: 'wifi', band: 'frequency50GHz' };
const betaWifi: Net = { ip: '10.1.2.7', subnet: '10.1.2.0', type: 'wifi', band: 'frequency24GHz' };
const home: Net = { ip: '192.168.1.20', subnet: '192.168.1.0', type: 'mobile' };

/** A one-person meeting leg (client to conferencing server): media with streams, media without, or none. */
function call(
  id: string,
  user: string,
  start: string,
  o: { net?: Net; streams?: boolean; failure?: { stage: string; reason: string } },
) {
  const client = {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      platform: 'windows',
      productFamily: 'teams',
      applicationVersion: '1.0',
    },
    associatedIdentity: { id: user, displayName: user },
  };
  const server = {
    '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent',
      role: 'skypeForBusinessAudioVideoMcu',
    },
  };
  const end = new Date(Date.parse(start) + 600_000).toISOString();
  const stream = (d: string) => ({ streamDirection: d, averageJitter: 'PT0.005S', packetUtilization: 5000 });
  const media = o.net
    ? [
        {
          label: 'main-audio',
          callerNetwork: {
            ipAddress: o.net.ip,
            subnet: o.net.subnet,
            connectionType: o.net.type,
            wifiBand: o.net.band ?? 'unknown',
            traceRouteHops: [],
          },
          streams: o.streams === false ? [] : [stream('callerToCallee'), stream('calleeToCaller')],
        },
      ]
    : [];
  return {
    id,
    version: 1,
    type: 'groupCall',
    modalities: ['audio'],
    startDateTime: start,
    endDateTime: end,
    lastModifiedDateTime: end,
    organizer_v2: { id: user, identity: { user: { id: user, displayName: user } } },
    participants_v2: [{ id: user, identity: { user: { id: user, displayName: user } } }],
    sessions: [
      {
        id: `${id}-s`,
        modalities: ['audio'],
        startDateTime: start,
        endDateTime: end,
        caller: client,
        callee: server,
        ...(o.failure ? { failureInfo: o.failure } : {}),
        segments: [
          {
            id: `${id}-g`,
            startDateTime: start,
            endDateTime: end,
            caller: client,
            callee: server,
            ...(o.failure ? { failureInfo: o.failure } : {}),
            media,
          },
        ],
      },
    ],
  };
}

const setupFailure = { stage: 'callSetup', reason: 'MediaConnectivityFailure' };
const records = [
  call('a', 'u1', at(9), { net: alphaWired }),
  call('b', 'u1', at(10, 30), { failure: setupFailure }), // nearest: a (90 min) → Alpha, wired
  call('c', 'u1', at(12), { net: betaWifi }),
  call('d', 'u1', at(11, 30), { failure: setupFailure }), // nearest: c (30 min) → Beta, Wi-Fi
  call('e', 'u2', at(8), { failure: setupFailure }), // u2's only other session is 4 h 1 min later → unknown
  call('f', 'u2', at(12, 1), { net: home }),
  call('g', 'u3', at(9), { failure: { stage: 'callSetup', reason: 'RemoteEndpointDeclined' } }),
  call('h', 'u3', at(9, 30), { net: alphaWifi, streams: false, failure: setupFailure }), // own network
];
const buildings = [
  '10.1.0.0,A,24,Alpha,Contoso,Office,,Vienna,1010,AT,,EMEA,1,0,0',
  '10.1.2.0,B,24,Beta,Contoso,Office,,Seattle,98001,US,WA,AMER,1,0,0',
].join('\n');

for (const database of await testDatabases()) {
  describe(`reliability with attributed failures (${database.name})`, () => {
    let opened: Awaited<ReturnType<typeof database.open>>;
    beforeAll(async () => {
      opened = await database.open();
      const store = await storeFromDb(opened.db, opened.url);
      await replaceBuildings(opened.db, parseBuildingFile(buildings).buildings);
      for (const json of records) {
        const { rows } = rowsFromJson(json, { source: 't', receivedAt: day });
        await store.records.save({ json, rows, source: 't', receivedAt: day }, prepareAgain);
      }
    });
    afterAll(async () => opened?.dispose());

    it('places each failure: own record, nearest successful session of the user, or unknown', async () => {
      const failed = await listFailedStreams(opened.db, {});
      const by = Object.fromEntries(failed.map((f) => [f.callId, f]));
      expect(Object.keys(by).sort()).toEqual(['b', 'd', 'e', 'h']);
      expect(by.b).toMatchObject({
        attribution: 'inferred',
        inferredFrom: { callId: 'a', minutesApart: 90 },
      });
      expect(by.b.placed).toMatchObject({ building: 'Alpha', network_type: 'wired', inside_corp: 'true' });
      expect(by.d).toMatchObject({
        attribution: 'inferred',
        inferredFrom: { callId: 'c', minutesApart: 30 },
      });
      expect(by.d.placed).toMatchObject({ building: 'Beta', network_type: 'wifi' });
      expect(by.e).toMatchObject({ attribution: 'unknown' });
      expect(by.e.placed.building).toBe('');
      expect(by.h).toMatchObject({ attribution: 'record', reasonClass: 'network' });
      expect(by.h.placed).toMatchObject({ building: 'Alpha', network_type: 'wifi' });
    });

    it('rates by building and network type over the streams there, declines left out', async () => {
      const r = await getReliability(opened.db);
      // 6 streams of a, c, f and the placeholders of b, d, e, h; the decline g adds none.
      expect(r.totals).toMatchObject({ streams: 10, setupFailedStreams: 4, setupFailurePercent: 40 });
      const building = Object.fromEntries(r.byBuilding.map((b) => [String(b.building), b]));
      expect(building.Alpha).toMatchObject({ streams: 4, setupFailedStreams: 2, setupFailurePercent: 50 });
      expect(building.Beta.streams).toBe(3);
      expect(building.Beta.setupFailurePercent).toBeCloseTo(100 / 3, 9);
      expect(building.null).toMatchObject({ streams: 3, setupFailedStreams: 1 });
      const type = Object.fromEntries(r.byNetworkType.map((b) => [String(b.networkType), b]));
      expect(type.wired).toMatchObject({ streams: 3, setupFailedStreams: 1 });
      expect(type.wifi).toMatchObject({ streams: 4, setupFailedStreams: 2, setupFailurePercent: 50 });
      expect(type.mobile).toMatchObject({ streams: 2, setupFailedStreams: 0 });
      expect(type.null).toMatchObject({ streams: 1, setupFailedStreams: 1 });
      expect(r.attribution).toEqual({
        failedStreams: 4,
        fromRecord: 1,
        inferred: 2,
        unknown: 1,
        unknownPercent: 25,
        inferenceWindowHours: 4,
      });
      expect(r.reasons).toEqual([
        {
          stage: 'callSetup',
          reason: 'MediaConnectivityFailure',
          reasonClass: 'network',
          count: 4,
          percent: 100,
        },
      ]);
      expect(r.outcomes).toEqual([
        { stage: 'callSetup', reason: 'RemoteEndpointDeclined', reasonClass: 'declined', sessions: 1 },
      ]);
      // A building filter counts the failures placed there.
      const alpha = await getReliability(opened.db, { filters: { building: ['Alpha'] } });
      expect(alpha.totals).toMatchObject({ streams: 4, setupFailedStreams: 2 });
      expect(alpha.attribution).toMatchObject({ failedStreams: 2, inferred: 1, fromRecord: 1 });
    });

    it("the QER internal scope's setup failure rate comes from the failures inside", async () => {
      const [overall, internal] = await getQualityTargets(opened.db);
      expect(overall.measured.setupFailurePercent).toBe(40);
      expect(internal.streams).toBe(7);
      expect(internal.measured.setupFailurePercent).toBeCloseTo((3 / 7) * 100, 9);
      expect(internal.meets.setupFailurePercent).toBe(false);
    });
  });
}
