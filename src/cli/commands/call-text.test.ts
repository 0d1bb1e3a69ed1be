// The terminal view of one call: a PSTN leg's segments name the servers they pass through.
import { expect, it } from 'vitest';
import { annotateCall } from '../../analytics/annotate-call.ts';
import type { JsonObject } from '../../analytics/call-views.ts';
import { callDetailFromRaw, callDetailOf } from '../../analytics/get-call.ts';
import { wifiAccessPoint, wifiBssid, wifiCallRecord } from '../../analytics/test-wifi-call.ts';
import { rowsFromJson } from '../../normalize/from-json.ts';
import { createBuildingMap, parseBuildingFile } from '../../quality/buildings.ts';
import { testBuildingsCsv } from '../../server/test-records.ts';
import { callText } from './call-text.ts';

const noBuildings = { buildings: createBuildingMap([]) };
const textOf = (record: unknown) =>
  callText(
    annotateCall(callDetailOf(rowsFromJson(record, { source: 'test', receivedAt: 0 }).rows), noBuildings),
  );
const t = (s: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, s)).toISOString();
const user = {
  '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
  userAgent: { platform: 'windows', productFamily: 'teams' },
  associatedIdentity: { id: 'u1', displayName: 'Ada' },
};
const phone = {
  '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
  identity: { phone: { id: '+15550100' } },
};
const server = (role: string) => ({
  '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
  userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role },
});
const segment = (id: string, a: number, caller: unknown, callee: unknown) => ({
  id,
  startDateTime: t(a),
  endDateTime: t(a + 30),
  caller,
  callee,
});

it('names the ends of a segment that differ from its session, and only those', () => {
  const record = {
    id: 'pstn-leg',
    version: 1,
    type: 'peerToPeer',
    startDateTime: t(0),
    endDateTime: t(90),
    sessions: [
      {
        id: 's1',
        startDateTime: t(0),
        endDateTime: t(90),
        caller: user,
        callee: phone,
        segments: [
          segment('g1', 0, user, server('mediationServer')),
          segment('g2', 30, server('mediationServer'), phone),
          segment('g3', 60, user, phone),
        ],
      },
    ],
  };
  const lines = textOf(record).split('\n');
  const after = (label: string) => lines[lines.findIndex((l) => l.includes(label)) + 1].trim();
  expect(after('Segment 1.1')).toBe('Ada (windows teams) → service (mediationServer)');
  expect(after('Segment 1.2')).toBe('service (mediationServer) → +15550100');
  // The same ends as the session: nothing repeated.
  expect(lines.findIndex((l) => l.includes('Segment 1.3'))).toBe(lines.length - 2);
});

it('adds no line for a segment that names no ends, and shows a frame rate just under a threshold as such', () => {
  const record = {
    id: 'old-shape',
    version: 1,
    startDateTime: t(0),
    endDateTime: t(30),
    sessions: [
      {
        id: 's1',
        startDateTime: t(0),
        endDateTime: t(30),
        caller: user,
        callee: phone,
        segments: [
          {
            ...segment('g1', 0, undefined, undefined),
            media: [
              {
                label: 'applicationsharing-video',
                streams: [{ streamId: 'v', averageVideoFrameRate: 1.99 }],
              },
            ],
          },
        ],
      },
    ],
  };
  const text = textOf(record);
  expect(text).not.toMatch(/→/);
  // VBSS below 2 fps is poor: the line must not round 1.99 up to the threshold.
  expect(text).toMatch(/poor\s+frame rate 1\.99 fps \(!\).*poor: frame rate too low/);
});

it('a Wi-Fi call: the groups with the dashboard units, building, inside/outside, access point, flagged values', () => {
  const json = wifiCallRecord();
  const { rows } = rowsFromJson(json, { source: 'test', receivedAt: 0 });
  const detail = annotateCall(callDetailFromRaw(JSON.parse(JSON.stringify(json)) as JsonObject, rows), {
    buildings: createBuildingMap(parseBuildingFile(testBuildingsCsv).buildings),
    accessPoint: (b) => (b === wifiBssid ? wifiAccessPoint : undefined),
  });
  const lines = callText(detail).split('\n');
  const line = (label: string) =>
    lines
      .find((l) => l.trim().startsWith(label))
      ?.trim()
      .replace(/\s{2,}/g, ' | ');
  expect(
    lines
      .map((l) => l.trim().split(/\s{2,}/)[0])
      .filter((g) => ['Device', 'System', 'Connectivity', 'Network'].includes(g)),
  ).toEqual(['Device', 'System', 'Connectivity', 'Network']);
  expect(line('Building')).toBe('Building | Amsterdam HQ | not in the building file');
  expect(line('Inside corp')).toBe('Inside corp | inside | outside (subnet not in the building file)');
  expect(line('Access point')).toBe('Access point | AP-HQ-3F-East (floor 3) | –');
  expect(line('Wi-Fi signal')).toBe('Wi-Fi signal | 62% (?) | –');
  expect(line('Link speed')).toBe('Link speed | 866 Mbit/s | 1000 Mbit/s');
  expect(line('CPU speed')).toBe('CPU speed | 2995 MHz | 2995 MHz');
  expect(line('Microphone')).toBe('Microphone | not functioning (2%) (!) | –');
  // The dashboard's units: loss in percent, not 0.02.
  expect(line('Caller → callee')).toMatch(
    /^Caller → callee \| poor \| jitter 45 ms \(!\) \| loss 2% \(\?\) \| round trip 80 ms \|/,
  );
  expect(line('Callee → caller')).toContain('unclassified: fewer than 1000 packets');
  expect(lines.some((l) => l.includes('(!) jitter > 30 ms is poor (CQD stream classification)'))).toBe(true);
  expect(lines.find((l) => l.includes('Who had the problem'))).toBeDefined();
  expect(lines[lines.findIndex((l) => l.includes('Who had the problem')) + 1].trim()).toMatch(
    /^Bob Home: 1 poor of 1 received/,
  );
});
