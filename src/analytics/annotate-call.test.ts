// The call detail's annotations: building and inside/outside per network from the building map, the access point
// by BSSID, flags with their rules, why a stream is unclassified, and who had the problem.
import { expect, it } from 'vitest';
import { rowsFromJson } from '../normalize/from-json.ts';
import { createBuildingMap, parseBuildingFile } from '../quality/buildings.ts';
import { testBuildingsCsv } from '../server/test-records.ts';
import { annotateCall, type ParticipantQuality } from './annotate-call.ts';
import type { JsonObject } from './call-views.ts';
import { callDetailFromRaw } from './get-call.ts';
import { wifiAccessPoint, wifiBssid, wifiCallRecord } from './test-wifi-call.ts';

const endpointFile = (name: string) =>
  name === 'LAPTOP-ADA WIFI'
    ? { model: 'Latitude 7420', type: 'laptop', label1: 'IT-issued', label2: '', label3: '' }
    : undefined;

function annotated(accessPoints = true) {
  const json = wifiCallRecord();
  const { rows } = rowsFromJson(json, { source: 'test', receivedAt: 0 });
  const buildings = createBuildingMap(parseBuildingFile(testBuildingsCsv).buildings);
  return annotateCall(callDetailFromRaw(JSON.parse(JSON.stringify(json)) as JsonObject, rows), {
    buildings,
    ...(accessPoints
      ? {
          accessPoint: (b: string) =>
            b.toLowerCase() === wifiBssid.toLowerCase() ? wifiAccessPoint : undefined,
          endpoint: endpointFile,
        }
      : {}),
  });
}
const media = (d: ReturnType<typeof annotated>) =>
  ((d.sessions[0].segments as JsonObject[])[0].media as JsonObject[])[0] as JsonObject;

it('puts building, inside/outside and the access point in each network object beside Graph’s properties', () => {
  const m = media(annotated());
  const ada = m.callerNetwork as JsonObject;
  expect(ada).toMatchObject({
    subnet: '10.10.2.0',
    building: 'Amsterdam HQ',
    city: 'Amsterdam',
    insideCorp: true,
    accessPoint: 'AP-HQ-3F-East',
    accessPointFloor: '3',
  });
  expect((ada.flags as JsonObject).wifiSignalStrength).toMatchObject({ level: 'watch' });
  // The home network is in no building: outside, as CQD counts an unknown subnet; no BSSID, no access point key.
  expect(m.calleeNetwork).toMatchObject({ building: null, insideCorp: false });
  expect(m.calleeNetwork).not.toHaveProperty('accessPoint');
  // Without an access-point file nothing is claimed about the access point.
  expect(media(annotated(false)).callerNetwork).not.toHaveProperty('accessPoint');
});

it('flags stream and device values with their rules and says why a stream is unclassified', () => {
  const m = media(annotated());
  const [toBob, toAda] = m.streams as JsonObject[];
  expect(toBob.quality).toBe('poor');
  expect((toBob.flags as JsonObject).averageJitter).toMatchObject({ level: 'poor' });
  expect((toBob.flags as JsonObject).averagePacketLossRate).toMatchObject({ level: 'watch' });
  expect(toBob.unclassifiedReason).toBeNull();
  expect(toAda).toMatchObject({ quality: 'unclassified', unclassifiedReason: 'fewPackets' });
  expect(String(toAda.unclassifiedBecause)).toContain('fewer than 1000 packets');
  expect((toAda.flags as JsonObject).averageJitter).toMatchObject({ level: 'poor' });
  expect(((m.callerDevice as JsonObject).flags as JsonObject).captureNotFunctioningEventRatio).toMatchObject({
    level: 'poor',
  });
});

it('summarizes who had the problem: the receiver of the poor stream first', () => {
  const people = annotated().participantQuality as unknown as ParticipantQuality[];
  expect(people.map((p) => [p.displayName, p.receivedStreams, p.receivedPoor, p.sentPoor])).toEqual([
    ['Bob Home', 1, 1, 0],
    ['Ada Wifi', 1, 0, 1],
  ]);
  const bob = people.find((p) => p.displayName === 'Bob Home') as ParticipantQuality;
  expect(bob).toMatchObject({
    worstJitterMs: 45,
    poorReasons: ['jitter'],
    building: null,
    insideCorp: false,
  });
  const ada = people.find((p) => p.displayName === 'Ada Wifi') as ParticipantQuality;
  expect(ada).toMatchObject({ building: 'Amsterdam HQ', connectionType: 'wifi', insideCorp: true });
});

it('names the endpoint model from the endpoint file where the device name is in it', () => {
  const d = annotated();
  expect(d.sessions[0].caller).toMatchObject({
    endpointModel: 'Latitude 7420',
    endpointType: 'laptop',
    endpointLabels: ['IT-issued'],
  });
  expect(d.sessions[0].callee).not.toHaveProperty('endpointModel');
  expect(annotated(false).sessions[0].caller).not.toHaveProperty('endpointModel');
});
