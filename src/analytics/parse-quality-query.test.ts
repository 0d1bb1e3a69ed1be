// Parameters of the CLI and API: times (relative ages, dates, timestamps; days a month lacks are refused), and
// dimension and measure names as people type them.
import { describe, expect, it } from 'vitest';
import { parseDimension, parseMeasure, parseTime } from './parse-quality-query.ts';

const now = Date.UTC(2026, 10, 29, 12);

describe('parseTime', () => {
  it('reads relative ages, dates (UTC midnight) and ISO timestamps', () => {
    expect(parseTime('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTime('2024-02-29', now)).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime('2026-11-20T00:00:00+02:00', now)).toBe(Date.UTC(2026, 10, 19, 22));
  });

  it('refuses a day the month does not have instead of rolling it into the next month', () => {
    for (const bad of ['2026-02-30', '2025-02-29', '2026-04-31T10:00:00Z', '2026-13-01'])
      expect(() => parseTime(bad, now, 'since'), bad).toThrow(`bad since "${bad}"`);
  });
});

describe('parseDimension and parseMeasure', () => {
  it('take names in any case, camelCase or snake_case, and still refuse unknown ones', () => {
    expect(parseDimension('network-type')).toBe('network-type');
    expect(parseDimension('Building')).toBe('building');
    expect(parseDimension('networkType')).toBe('network-type');
    expect(parseDimension('CLIENT_VERSION')).toBe('client-version');
    expect(parseMeasure('poorPercent')).toBe('poorPercent');
    expect(parseMeasure('poorpercent')).toBe('poorPercent');
    expect(parseMeasure('poor-percent')).toBe('poorPercent');
    expect(() => parseDimension('floor')).toThrow('unknown dimension "floor"');
    expect(() => parseMeasure('mos')).toThrow('unknown measure "mos"');
  });
});
