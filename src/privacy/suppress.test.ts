// Small-group suppression: who is folded, what the "other" row adds up, what it cannot know.
import { describe, expect, it } from 'vitest';
import { foldSmallGroups, suppressionNeeds } from './suppress.ts';

const rows = [
  {
    building: 'HQ',
    streams: 100,
    poorStreams: 10,
    classifiedStreams: 90,
    poorPercent: 11.1,
    avgJitterMs: 9,
    users: 40,
  },
  {
    building: 'Lab',
    streams: 6,
    poorStreams: 3,
    classifiedStreams: 6,
    poorPercent: 50,
    avgJitterMs: 30,
    users: 2,
  },
  {
    building: 'Kiosk',
    streams: 4,
    poorStreams: 1,
    classifiedStreams: 2,
    poorPercent: 50,
    avgJitterMs: 20,
    users: 1,
  },
];

describe('foldSmallGroups', () => {
  it('keeps groups of enough users and folds the rest into one "other" row with exact sums', () => {
    const out = foldSmallGroups(rows, { keys: ['building'], minGroupSize: 5 });
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(rows[0]);
    expect(out[1]).toEqual({
      building: 'other',
      streams: 10,
      poorStreams: 4,
      classifiedStreams: 8,
      poorPercent: 50,
      avgJitterMs: null,
      users: null,
    });
    expect(JSON.stringify(out)).not.toContain('Lab');
  });

  it('keeps the time buckets of a chart over days, folding per day', () => {
    const daily = [
      { day: '2026-01-05', platform: 'web', streams: 3, users: 1 },
      { day: '2026-01-05', platform: 'ios', streams: 2, users: 1 },
      { day: '2026-01-06', platform: 'web', streams: 5, users: 1 },
    ];
    const out = foldSmallGroups(daily, { keys: ['day', 'platform'], minGroupSize: 5 });
    expect(out).toEqual([
      { day: '2026-01-05', platform: 'other', streams: 5, users: null },
      { day: '2026-01-06', platform: 'other', streams: 5, users: null },
    ]);
  });

  it('keeps only the sums of a total of too few users, and does nothing when minGroupSize is 1', () => {
    const total = [{ streams: 3, avgJitterMs: 12, users: 2 }];
    expect(foldSmallGroups(total, { keys: [], minGroupSize: 5 })).toEqual([
      { streams: 3, avgJitterMs: null, users: null },
    ]);
    expect(foldSmallGroups([{ streams: 3, users: 9 }], { keys: [], minGroupSize: 5 })).toEqual([
      { streams: 3, users: 9 },
    ]);
    expect(foldSmallGroups(rows, { keys: ['building'], minGroupSize: 1 })).toEqual(rows);
  });

  it('treats a row without a user count as small (it cannot be shown safely)', () => {
    const out = foldSmallGroups([{ building: 'X', streams: 1 }], { keys: ['building'], minGroupSize: 5 });
    expect(out).toEqual([{ building: 'other', streams: 1 }]);
  });

  it('names the measures a query needs for folding', () => {
    expect(suppressionNeeds(['poorPercent'])).toEqual(['users', 'poorStreams', 'classifiedStreams']);
    expect(suppressionNeeds(['users', 'streams'])).toEqual([]);
  });
});
