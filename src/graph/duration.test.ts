import { describe, expect, it } from 'vitest';
import { durationToMs, msToDuration } from './duration.ts';

describe('durationToMs', () => {
  it('reads the forms Graph sends', () => {
    expect(durationToMs('PT0.015S')).toBe(15);
    expect(durationToMs('PT1M2.5S')).toBe(62_500);
    expect(durationToMs('PT1H')).toBe(3_600_000);
    expect(durationToMs('P1DT1S')).toBe(86_401_000);
    expect(durationToMs('PT0S')).toBe(0);
  });
  it('keeps null as null and rejects text that is not a duration', () => {
    expect(durationToMs(null)).toBeNull();
    expect(durationToMs(undefined)).toBeNull();
    expect(durationToMs('15ms')).toBeUndefined();
    expect(durationToMs('PT')).toBeUndefined();
    expect(durationToMs('P')).toBeUndefined();
  });
  it('round-trips milliseconds', () => {
    expect(msToDuration(15)).toBe('PT0.015S');
    expect(durationToMs(msToDuration(1234))).toBe(1234);
  });
});
