// The generated metric-row builders give what a loop over graph-names.ts's fields gives, value for value.
import { describe, expect, it } from 'vitest';
import { durationToMs } from '../graph/duration.ts';
import { rng } from '../store/test-call-records.ts';
import { deviceInfoFields, type MetricField, networkInfoFields, streamFields } from './graph-names.ts';
import { mediaEndpointRow, streamRow } from './metric-rows.ts';

type Loose = Record<string, unknown>;

/** The reference: each field's conversion applied to its Graph property, one by one. */
function metric(source: Loose, f: MetricField): string | number | null {
  const v = source[f.graph];
  if (f.conversion === 'duration') return typeof v === 'string' ? (durationToMs(v) ?? null) : null;
  if (f.conversion === 'bool') return typeof v === 'boolean' ? (v ? 1 : 0) : null;
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const values: unknown[] = [undefined, null, 0, 1.5, -3, 'PT0.015S', 'PT1M2.5S', 'x', '', true, false, [], {}];

function randomSource(fields: readonly MetricField[], r: () => number): Loose {
  const out: Loose = {};
  for (const f of fields) {
    const v = values[Math.floor(r() * values.length)];
    if (v !== undefined) out[f.graph] = v;
  }
  return out;
}

describe('metric rows', () => {
  it('equal the field-by-field conversion for every column', () => {
    const r = rng(7);
    for (let n = 0; n < 300; n++) {
      const keys = { call_id: 'c', session_idx: 1, segment_idx: 2, media_idx: 3, side: 'caller' as const };
      const device = n % 5 === 0 ? null : randomSource(deviceInfoFields, r);
      const network = n % 7 === 0 ? undefined : randomSource(networkInfoFields, r);
      const expected: Loose = { ...keys, has_device: device ? 1 : 0, has_network: network ? 1 : 0 };
      for (const f of deviceInfoFields) expected[f.column] = metric(device ?? {}, f);
      for (const f of networkInfoFields) expected[f.column] = metric(network ?? {}, f);
      expect(mediaEndpointRow(keys, device as never, network as never)).toStrictEqual(expected);

      const s = randomSource(streamFields, r);
      const structure = {
        call_id: 'c',
        session_idx: 1,
        segment_idx: 2,
        media_idx: 3,
        stream_idx: n,
        call_start_time: 5,
        label: 'main-audio',
        start_time: 6,
        end_time: null,
      };
      const row: Loose = { ...structure, media_type: 'other', quality: 'unclassified', poor_reasons: '' };
      for (const f of streamFields) row[f.column] = metric(s, f);
      expect(streamRow(structure, s as never)).toStrictEqual(row);
    }
  });
});
