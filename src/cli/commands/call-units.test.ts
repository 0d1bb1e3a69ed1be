// The text view and the dashboard write every value in the same units.
import { expect, it } from 'vitest';
import { fmt } from '../../../web/src/pages/call-values.ts';
import { units } from './call-units.ts';

it('formats each sample value exactly as the dashboard does', () => {
  const samples = [null, 0, 0.0031, 0.5, 1, 12.345, 57, 150_000, 866_000_000, -28];
  const keys = Object.keys(fmt) as (keyof typeof fmt)[];
  expect(Object.keys(units).sort()).toEqual([...keys].sort());
  for (const k of keys)
    for (const v of samples)
      expect((units[k] as (x: number | null) => string | null)(v), `${k}(${v})`).toBe(
        (fmt[k] as (x: number | null) => string | null)(v),
      );
  expect(units.ratio(0.003)).toBe('0.3%');
  expect(units.mbps(866_000_000)).toBe('866 Mbit/s');
});
