// The call detail view: Graph's nesting and names, *Ms beside every duration (trace-route hops too), classification.
import { describe, expect, it } from 'vitest';
import { sample } from '../ingest/test-samples.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import type { JsonObject } from './call-views.ts';
import { callDetailFromRaw, callDetailOf, durationText } from './get-call.ts';

function record(): JsonObject {
  const json = sample('v1.0_callRecord_get_expand_sessions_segments.response.json') as JsonObject;
  const media = ((json.sessions as JsonObject[])[0].segments as JsonObject[])[0].media as JsonObject[];
  (media[0].callerNetwork as JsonObject).traceRouteHops = [
    { hopCount: 1, ipAddress: '10.0.0.1', roundTripTime: 'PT0.0015S' },
  ];
  (media[0].streams as JsonObject[])[0].averageRoundTripTime = 'PT0.6S';
  (media[0].streams as JsonObject[])[0].packetUtilization = 5000;
  const session = (json.sessions as JsonObject[])[0];
  session.caller = {
    ...(session.caller as JsonObject),
    associatedIdentity: null,
    identity: { user: { id: 'u1', displayName: 'Old Style' } },
  };
  return json;
}

describe('call detail', () => {
  for (const [name, build] of [
    [
      'from raw JSON',
      (json: JsonObject) =>
        callDetailFromRaw(structuredClone(json), rowsFromJson(json, { source: 't', receivedAt: 0 }).rows),
    ],
    [
      'from rows',
      (json: JsonObject) => callDetailOf(rowsFromJson(json, { source: 't', receivedAt: 0 }).rows),
    ],
  ] as const) {
    it(`nests sessions, segments, media and streams with durations in ms (${name})`, () => {
      const call = build(record());
      expect(call.view).toBe('unknown');
      const session = call.sessions[0];
      expect((session.caller as JsonObject).associatedIdentity).toMatchObject({
        id: 'u1',
        displayName: 'Old Style',
      });
      const media = ((session.segments as JsonObject[])[0].media as JsonObject[])[0];
      const hop = ((media.callerNetwork as JsonObject).traceRouteHops as JsonObject[])[0];
      expect(hop).toMatchObject({ roundTripTime: 'PT0.0015S', roundTripTimeMs: 1.5 });
      const stream = (media.streams as JsonObject[])[0];
      expect(stream).toMatchObject({
        averageJitter: 'PT0.016S',
        averageJitterMs: 16,
        averageRoundTripTimeMs: 600,
        mediaType: 'audio',
        quality: 'poor',
        poorReasons: ['roundTrip'],
      });
    });
  }

  it('writes milliseconds back as Graph durations', () => {
    expect(durationText(15)).toBe('PT0.015S');
    expect(durationText(1.5)).toBe('PT0.0015S');
    expect(durationText(60000)).toBe('PT60S');
  });
});
