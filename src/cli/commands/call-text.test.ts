// The terminal view of one call: a PSTN leg's segments name the servers they pass through.
import { expect, it } from 'vitest';
import { rowsFromJson } from '../../normalize/from-json.ts';
import { callText } from './call-text.ts';

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
  const { rows } = rowsFromJson(record, { source: 'test', receivedAt: 0 });
  const lines = callText(rows).split('\n');
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
  const { rows } = rowsFromJson(record, { source: 'test', receivedAt: 0 });
  const text = callText(rows);
  expect(text).not.toMatch(/→/);
  // VBSS below 2 fps is poor: the line must not round 1.99 up to the threshold.
  expect(text).toMatch(/vbss\s+poor\s+fps 1\.99 .*poor: frameRate/);
});
