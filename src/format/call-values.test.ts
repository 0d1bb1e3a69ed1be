// The units and readers the call view and the text view share.
import { expect, it } from 'vitest';
import { arr, flagOf, num, obj, str, units } from './call-values.ts';

it('writes each value with its unit, rounded without trailing zeros, null staying null', () => {
  expect(units.ms(45.04)).toBe('45 ms');
  expect(units.ratio(0.003)).toBe('0.3%');
  expect(units.ratio(0.02)).toBe('2%');
  expect(units.percent(62)).toBe('62%');
  expect(units.fps(1.994)).toBe('1.99 fps');
  expect(units.kbps(150_000)).toBe('150 kbit/s');
  expect(units.mbps(866_000_000)).toBe('866 Mbit/s');
  expect(units.mhz(2995)).toBe('2995 MHz');
  expect(units.db(-28)).toBe('-28 dB');
  expect(units.per5(12.345)).toBe('12.35 per 5 min');
  expect(units.plain(12.345, 0)).toBe('12');
  expect(units.yesNo(false)).toBe('no');
  expect(units.yesNo(null)).toBeNull();
  for (const f of [units.ms, units.ratio, units.kbps, units.plain]) expect(f(null)).toBeNull();
});

it('reads the JSON leniently and finds the flag the server set', () => {
  const o = { a: 'x', e: '', n: 3, l: [{ k: 1 }, 2, null], flags: { jitter: { level: 'poor', rule: 'r' } } };
  expect([str(o.a), str(o.e), num(o.n), num(o.a)]).toEqual(['x', null, 3, null]);
  expect(arr(o.l)).toEqual([{ k: 1 }]);
  expect(obj(o.l)).toBeNull();
  expect(flagOf(o, 'jitter')).toEqual({ level: 'poor', rule: 'r' });
  expect(flagOf(o, 'loss')).toBeNull();
});
