// The fast check never says yes where zod would reject or change a value: on real and generated records and on
// thousands of mutations of them (wrong types, special strings, nulls, missing ids).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sample } from '../ingest/test-samples.ts';
import { rng, testCallRecords, testUsers } from '../store/test-call-records.ts';
import { callRecordSchema } from './call-record-schema.ts';
import { fastCheckOf } from './fast-check.ts';

type Json = Record<string, unknown>;

function records(): Json[] {
  const out: Json[] = [
    sample('v1.0_callRecord_get_expand_sessions_segments.response.json'),
    sample('v1.0_callRecord_get_basic.response.json'),
    sample('v1.0_callRecord_get_expand_participants_v2.response.json'),
  ];
  for (const page of [
    'v1.0_callRecords_list.response.json',
    'v1.0_callRecords_list_filter_participant.response.json',
  ])
    out.push(...(sample(page).value as Json[]));
  out.push(
    ...testCallRecords({ seed: 5, calls: 12, users: testUsers(2, 8), start: Date.UTC(2024, 4, 1), days: 3 }),
  );
  return out;
}

/** Every [parent, key] inside a JSON value, so a mutation can replace any one value. */
function slots(value: unknown, out: Array<[Json | unknown[], string | number]> = []) {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push([value, i]);
      slots(v, out);
    });
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Json, k]);
      slots(v, out);
    }
  return out;
}

const replacements: unknown[] = [
  null,
  undefined,
  'x',
  '',
  'NaN',
  'INF',
  '12',
  '-7',
  '1.5',
  'PT0.015S',
  'PT',
  '2024-05-01T10:00:00Z',
  'not a date',
  0,
  -1,
  1.5,
  2 ** 60,
  true,
  false,
  [],
  [1],
  {},
  { id: 3 },
];

describe('fast check of call records', () => {
  const check = fastCheckOf(callRecordSchema);

  it('compiles for the call record schema', () => {
    expect(check).toBeDefined();
  });

  it('passes every valid record whose zod output is the record itself', () => {
    for (const json of records()) {
      expect(check?.(json)).toBe(true);
      expect(callRecordSchema.parse(json)).toEqual(json);
    }
  });

  it('never passes a mutation zod rejects or would change', () => {
    const random = rng(42);
    let passed = 0;
    let rejected = 0;
    for (const original of records()) {
      const all = slots(original);
      for (let n = 0; n < 250; n++) {
        const json = structuredClone(original);
        const places = slots(json);
        const [parent, key] = places[Math.floor(random() * places.length)];
        const value = replacements[Math.floor(random() * replacements.length)];
        if (value === undefined && !Array.isArray(parent)) delete (parent as Json)[key as string];
        else (parent as Json)[key as string] = structuredClone(value);
        const fast = check?.(json) ?? false;
        const zod = callRecordSchema.safeParse(json);
        if (fast) {
          passed++;
          expect(zod.success).toBe(true);
          expect(zod.data).toEqual(json);
        } else if (!zod.success) rejected++;
      }
      expect(all.length).toBeGreaterThan(0);
    }
    // Both answers occur often: the mutations reach the checks that matter.
    expect(passed).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(500);
  });
});

describe('the zod it is built for', () => {
  const require = createRequire(import.meta.url);
  it('is the exact zod version package.json pins (fast-check.ts reads its checks through an internal)', () => {
    const pinned = (require('../../package.json') as { dependencies: Record<string, string> }).dependencies
      .zod;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect((require('zod/package.json') as { version: string }).version).toBe(pinned);
  });

  it("still runs a schema's checks, and leaves format schemas to zod", () => {
    const check = fastCheckOf(z.object({ id: z.string().min(3), n: z.number().max(9) }));
    expect(check?.({ id: 'abcd', n: 1 })).toBe(true);
    expect(check?.({ id: 'ab', n: 1 })).toBe(false);
    expect(check?.({ id: 'abcd', n: 10 })).toBe(false);
    // z.iso.datetime() and z.uuid() carry their check in the schema itself: no fast answer, zod decides.
    expect(fastCheckOf(z.object({ at: z.iso.datetime() }))).toBeUndefined();
    expect(fastCheckOf(z.object({ id: z.uuid() }))).toBeUndefined();
  });
});
