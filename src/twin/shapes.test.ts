// Every payload shape the twin serves is compared with Microsoft's published samples and calltrove's own schemas.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import {
  callRecordSchema,
  deviceInfoSchema,
  directRoutingLogRowSchema,
  endpointSchema,
  feedbackSchema,
  mediaSchema,
  mediaStreamSchema,
  networkInfoSchema,
  participantSchema,
  pstnCallLogRowSchema,
  segmentSchema,
  sessionSchema,
  traceRouteHopSchema,
  userAgentSchema,
} from '../graph/call-record-schema.ts';
import { parseCallRecord, parseDirectRoutingLogRow, parsePstnCallLogRow } from '../graph/parse.ts';
import { type GraphTestClient, graphClient, testTwin } from './test-client.ts';
import type { Twin } from './twin.ts';

const samples = '/work/shared/graph-samples';
const sample = (name: string): unknown => JSON.parse(readFileSync(`${samples}/${name}`, 'utf8'));

/** "path:type" for every property, arrays collapsed to [] (so many items add up to one shape). */
function shape(value: unknown, path = '$', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const set = out.get(path) ?? new Set<string>();
  set.add(type);
  out.set(path, set);
  if (Array.isArray(value)) for (const v of value) shape(v, `${path}[]`, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) shape(v, `${path}.${k}`, out);
  return out;
}

/** Every sample property appears in the twin's payloads, with the same JSON type wherever both are non-null. */
function expectCovers(
  twinShape: Map<string, Set<string>>,
  sampleValue: unknown,
  ignore: RegExp[] = [],
): void {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const [path, types] of shape(sampleValue)) {
    if (ignore.some((r) => r.test(path))) continue;
    const mine = twinShape.get(path);
    if (!mine) {
      missing.push(path);
      continue;
    }
    const a = [...types].filter((t) => t !== 'null');
    const b = [...mine].filter((t) => t !== 'null');
    if (a.length && b.length && !a.every((t) => b.includes(t))) wrong.push(`${path}: sample ${a} twin ${b}`);
  }
  expect(missing).toEqual([]);
  expect(wrong).toEqual([]);
}

/** Property names the twin uses must be declared in calltrove's schema for that type (no typos, no inventions). */
function expectDeclared(value: unknown, keys: Set<string>, where: string): void {
  if (!value || typeof value !== 'object') return;
  for (const k of Object.keys(value))
    if (!k.includes('@') && !keys.has(k)) throw new Error(`${where}: '${k}' is not a Graph property`);
}
const keysOf = (s: { shape: Record<string, unknown> }) => new Set(Object.keys(s.shape));

function checkRecordNames(record: Record<string, unknown>): void {
  expectDeclared(record, keysOf(callRecordSchema), 'callRecord');
  for (const p of (record.participants_v2 as unknown[]) ?? [])
    expectDeclared(p, keysOf(participantSchema), 'participant');
  const endpoint = (e: Record<string, unknown> | undefined, where: string) => {
    expectDeclared(e, keysOf(endpointSchema), where);
    expectDeclared(e?.userAgent, keysOf(userAgentSchema), `${where}.userAgent`);
    expectDeclared(e?.feedback, keysOf(feedbackSchema), `${where}.feedback`);
  };
  for (const s of (record.sessions as Array<Record<string, unknown>>) ?? []) {
    expectDeclared(s, keysOf(sessionSchema), 'session');
    endpoint(s.caller as Record<string, unknown>, 'session.caller');
    endpoint(s.callee as Record<string, unknown>, 'session.callee');
    for (const g of (s.segments as Array<Record<string, unknown>>) ?? []) {
      expectDeclared(g, keysOf(segmentSchema), 'segment');
      for (const m of (g.media as Array<Record<string, unknown>>) ?? []) {
        expectDeclared(m, keysOf(mediaSchema), 'media');
        for (const side of ['callerDevice', 'calleeDevice'])
          expectDeclared(m[side], keysOf(deviceInfoSchema), side);
        for (const side of ['callerNetwork', 'calleeNetwork']) {
          expectDeclared(m[side], keysOf(networkInfoSchema), side);
          for (const hop of ((m[side] as Record<string, unknown>)?.traceRouteHops as unknown[]) ?? [])
            expectDeclared(hop, keysOf(traceRouteHopSchema), 'traceRouteHop');
        }
        for (const st of (m.streams as unknown[]) ?? [])
          expectDeclared(st, keysOf(mediaStreamSchema), 'mediaStream');
      }
    }
  }
}

describe('payload shapes against the published samples', () => {
  let twin: Twin;
  let graph: GraphTestClient;
  const records: Array<Record<string, unknown>> = [];
  let list: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    // Two weeks of 120 users: every call kind, feedback, failures, PSTN in and out, and an all-hands meeting.
    twin = testTwin({
      clock: new ManualClock(Date.UTC(2026, 0, 9, 12, 0, 0)),
      users: 80,
      days: 14,
      traceRoute: true,
    }).twin;
    graph = await graphClient(twin);
    list = await graph.all('/communications/callRecords');
    // A spread of records plus the all-hands meetings (Wednesdays 16:00) keeps this quick and still covers every kind.
    const picked = list.filter((r, i) => i % 4 === 0 || String(r.startDateTime).endsWith('T16:00:00.000Z'));
    for (const item of picked) {
      const full = await graph.json(
        `/communications/callRecords/${item.id}?$expand=sessions($expand=segments),participants_v2`,
      );
      records.push(full);
    }
  }, 120_000);
  afterAll(() => twin.stop());

  it('every record served parses with calltrove parser and uses only declared property names', () => {
    expect(records.length).toBeGreaterThan(200);
    for (const r of records) {
      parseCallRecord(r, String(r.id));
      checkRecordNames(r);
    }
  });

  it('get with $expand=sessions($expand=segments) and participants_v2 covers the samples', () => {
    const union = new Map<string, Set<string>>();
    for (const r of records) shape(r, '$', union);
    expectCovers(union, sample('v1.0_callRecord_get_expand_sessions_segments.response.json'));
    expectCovers(union, sample('v1.0_callRecord_get_expand_participants_v2.response.json'));
    expectCovers(union, sample('v1.0_callRecord_get_basic.response.json'));
  });

  it('list, sessions and participants_v2 pages cover the samples', async () => {
    const listShape = new Map<string, Set<string>>();
    shape({ '@odata.context': 'x', value: list, '@odata.nextLink': 'x' }, '$', listShape);
    expectCovers(listShape, sample('v1.0_callRecords_list.response.json'));
    expectCovers(listShape, sample('v1.0_callRecords_list_filter_startDateTime.response.json'));
    const sessionsShape = new Map<string, Set<string>>();
    const participantsShape = new Map<string, Set<string>>();
    const big = records.find((r) => r['participants_v2@odata.nextLink'])!;
    expect(big).toBeDefined();
    shape(await graph.json(`/communications/callRecords/${big.id}/sessions`), '$', sessionsShape);
    shape(await graph.json(`/communications/callRecords/${big.id}/participants_v2`), '$', participantsShape);
    for (const r of records.slice(0, 200)) {
      shape(
        await graph.json(`/communications/callRecords/${r.id}/sessions?$expand=segments`),
        '$',
        sessionsShape,
      );
      shape(await graph.json(`/communications/callRecords/${r.id}/sessions`), '$', sessionsShape);
    }
    expectCovers(sessionsShape, sample('v1.0_sessions_list.response.json'));
    expectCovers(sessionsShape, sample('v1.0_sessions_list_expand_segments.response.json'));
    expectCovers(participantsShape, sample('v1.0_participants_v2_list.response.json'));
  });

  it('getPstnCalls and getDirectRoutingCalls rows cover the samples and parse', async () => {
    const from = '2025-12-20';
    const to = '2026-01-09';
    const pstn = await graph.json<{ value: unknown[] }>(
      `/communications/callRecords/getPstnCalls(fromDateTime=${from},toDateTime=${to})`,
    );
    const dr = await graph.json<{ value: unknown[] }>(
      `/communications/callRecords/getDirectRoutingCalls(fromDateTime=${from},toDateTime=${to})`,
    );
    expect(pstn.value.length).toBeGreaterThan(10);
    expect(dr.value.length).toBeGreaterThan(10);
    for (const row of pstn.value) parsePstnCallLogRow(row);
    for (const row of dr.value) parseDirectRoutingLogRow(row);
    for (const row of pstn.value) expectDeclared(row, keysOf(pstnCallLogRowSchema), 'pstnCallLogRow');
    for (const row of dr.value) expectDeclared(row, keysOf(directRoutingLogRowSchema), 'directRoutingLogRow');
    // Fewer than 1,000 rows here: the paging link is tested separately.
    const noLink = [/^\$\.@odata\.nextLink$/];
    expectCovers(shape(pstn), sample('v1.0_getPstnCalls.response.json'), noLink);
    expectCovers(shape(dr), sample('v1.0_getDirectRoutingCalls.response.json'), noLink);
  });
});
