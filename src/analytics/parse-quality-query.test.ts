// Time parameters of the CLI and API: relative ages, dates and timestamps; days a month lacks are refused.
import { describe, expect, it } from 'vitest';
import { parseTime } from './parse-quality-query.ts';

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
