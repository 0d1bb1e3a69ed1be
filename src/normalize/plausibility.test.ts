// Plausibility at the door: each impossible value nulled with a warning naming its path (or the record refused),
// the rest of the record kept, no text value in a warning, and nothing Graph or the twin really sends flagged.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { parseCallRecord } from '../graph/parse.ts';
import { sample } from '../ingest/test-samples.ts';
import { testCallRecords, testUsers } from '../store/test-call-records.ts';
import { graphClient, noThrottle } from '../twin/test-client.ts';
import { createTwin } from '../twin/twin.ts';
import { rowsFromJson } from './from-json.ts';
import { checkPlausibility } from './plausibility.ts';
import { impossibleCases, impossibleRecord, plausibleRecord } from './test-impossible-records.ts';

const check = (json: Record<string, unknown>) => checkPlausibility(parseCallRecord(json, 'test'), 'test');

describe('plausibility of a call record', () => {
  it('finds nothing in a plausible record and returns it as it is', () => {
    const record = parseCallRecord(plausibleRecord('a'), 'test');
    const result = checkPlausibility(record, 'test');
    expect(result.warnings).toEqual([]);
    expect(result.record).toBe(record);
  });

  for (const [i, c] of impossibleCases.entries()) {
    it(`${c.name}: ${c.nulls ? `nulls ${c.nulls}` : 'refuses the record'}`, () => {
      const json = impossibleRecord(c, i);
      if (c.refused) {
        expect(() => rowsFromJson(json, { source: 'file.json', receivedAt: 0 })).toThrow(c.refused);
        return;
      }
      const before = JSON.stringify(json);
      const { record, rows, warnings, fix } = rowsFromJson(json, { source: 'file.json', receivedAt: 0 });
      expect(warnings.map((w) => w.path)).toEqual([c.nulls]);
      expect(JSON.stringify(json)).toBe(before);
      // The path is null in the record the rows were built from; the rest of the call is still there.
      const value = (c.nulls as string)
        .slice(2)
        .split(/\.|\[(\d+)\]/)
        .filter(Boolean)
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], record);
      expect(value).toBeNull();
      expect(rows.streams).toHaveLength(2);
      expect(rows.call.id).toBe(json.id);
      // The raw copy kept is the nulled JSON: it reads back (reprocess, same-version merges) with nothing left.
      const again = rowsFromJson(fix(json), { source: 'file.json', receivedAt: 0 });
      expect(again.warnings).toEqual([]);
      expect(again.rows).toEqual(rows);
    });
  }

  it('names the value of numbers, durations and times, and never shows text', () => {
    const jitter = impossibleCases.findIndex((c) => c.name === 'absurd jitter');
    const [w] = check(impossibleRecord(impossibleCases[jitter], jitter)).warnings;
    expect(w.value).toBe('"PT99999999999999999999S"');
    expect(w.problem).toMatch(/duration above 60 s/);
    const name = impossibleCases.findIndex((c) => c.name === 'NUL in a display name');
    const [t] = check(impossibleRecord(impossibleCases[name], name)).warnings;
    expect(t.value).toBe('a text of 6 characters');
    expect(JSON.stringify(t)).not.toContain('Quinn');
  });

  it('nulls what figures would add up: duration, jitter and loss of a stream never reach the rows', () => {
    const r = plausibleRecord('b');
    r.endDateTime = '2026-01-10T09:00:00Z';
    const s = (
      (r.sessions as never[])[0] as { segments: { media: { streams: Record<string, unknown>[] }[] }[] }
    ).segments[0].media[0].streams[0];
    s.averageJitter = 'PT99999999999999999999S';
    s.averagePacketLossRate = -1;
    const { rows, warnings } = rowsFromJson(r, { source: 't', receivedAt: 0 });
    expect(warnings).toHaveLength(3);
    expect(rows.call.duration_ms).toBeNull();
    expect(rows.streams[0].average_jitter_ms).toBeNull();
    expect(rows.streams[0].average_packet_loss_rate).toBeNull();
    expect(rows.streams[1].average_jitter_ms).toBe(20);
  });

  it("flags nothing in Microsoft's samples or the test records", () => {
    for (const name of [
      'v1.0_callRecord_get_basic.response.json',
      'v1.0_callRecord_get_expand_sessions_segments.response.json',
      'v1.0_callRecord_get_expand_participants_v2.response.json',
    ])
      expect(check(sample(name)).warnings).toEqual([]);
    const records = testCallRecords({
      seed: 3,
      calls: 300,
      users: testUsers(3, 40),
      start: Date.UTC(2024, 4, 1),
      days: 9,
    });
    expect(records.flatMap((r) => check(r).warnings)).toEqual([]);
  });

  it("flags nothing in the twin's records (every version, flaky devices and networks included)", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
    const twin = createTwin({ seed: 5, users: 80, days: 3, clock, throttle: noThrottle });
    const graph = await graphClient(twin);
    const list = await graph.all<{ id: string }>('/communications/callRecords');
    expect(list.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const { id } of list) {
      const record = await graph.json<Record<string, unknown>>(
        `/communications/callRecords/${id}?$expand=sessions($expand=segments)`,
      );
      for (const w of check(record).warnings) found.push(`${w.path}: ${w.problem} ${w.value}`);
    }
    expect(found).toEqual([]);
  });
});
