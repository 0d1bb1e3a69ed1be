// Cause attribution on hand-made streams whose answer is known by construction: a child explaining its parent, a
// confounded look-alike, a group too small to judge, a problem confined to some hours of the day.
import { describe, expect, it } from 'vitest';
import { expandHours } from './cause-combinations.ts';
import { explains, scoreZ, twoProportionZ } from './cause-stats.ts';
import { findCausesIn } from './find-causes.ts';
import type { Dimension } from './quality-query.ts';
import { streams, testCounts } from './test-cause-counts.ts';

const hourOfDay = 'hour-of-day' as Dimension;

/** Four buildings of normal streams (2% poor); in Beta, one of three subnets is bad. */
function buildingWithBadSubnet() {
  return [
    ...['Alpha', 'Gamma', 'Delta'].flatMap((b, i) =>
      streams(600, 12, { building: b, subnet: `10.${i}.0.0`, 'client-version': 'v1' }),
    ),
    ...streams(200, 80, { building: 'Beta', subnet: '10.9.1.0', 'client-version': 'v1' }),
    ...streams(200, 4, { building: 'Beta', subnet: '10.9.2.0', 'client-version': 'v1' }),
    ...streams(200, 4, { building: 'Beta', subnet: '10.9.3.0', 'client-version': 'v1' }),
  ];
}

describe('the arithmetic', () => {
  it('two-proportion and score z by the textbook formulas', () => {
    // 80/200 against 44/2400: pooled p = 124/2600.
    const p = 124 / 2600;
    const se = Math.sqrt(p * (1 - p) * (1 / 200 + 1 / 2400));
    expect(twoProportionZ(80, 200, 44, 2400)).toBeCloseTo((0.4 - 44 / 2400) / se, 10);
    expect(scoreZ(30, 100, 0.1)).toBeCloseTo(20 / 3, 10);
  });

  it('a subset that holds the excess explains its parent, not the other way round', () => {
    const sub = { tally: { n: 200, k: 80 }, excess: 76, expectedRate: 0.02 };
    const parent = { tally: { n: 600, k: 88 }, excess: 76, expectedRate: 0.02 };
    const overlap = { n: 200, k: 80 };
    expect(explains(sub, parent, overlap)).toBe(true);
    expect(explains(parent, sub, overlap)).toBe(false);
  });
});

describe('findCauses on hand-made streams', () => {
  it('ranks the bad subnet first, its building explained by it, with the numbers worked by hand', async () => {
    const a = await findCausesIn(testCounts(buildingWithBadSubnet()), { filters: {} });
    const [top] = a.causes;
    expect(top).toMatchObject({ dimensions: ['subnet'], values: ['10.9.1.0'], classifiedStreams: 200 });
    // Rest of the scope: 2400 − 200 streams, 124 − 80 poor.
    const rest = 44 / 2200;
    expect(top.excessPoorStreams).toBeCloseTo(80 - 200 * rest, 9);
    expect(top.shareOfPoorPercent).toBeCloseTo((100 * (80 - 200 * rest)) / 124, 9);
    expect(top.z).toBeCloseTo(twoProportionZ(80, 200, 44, 2200), 9);
    expect(top.restPoorPercent).toBeCloseTo(100 * rest, 9);
    expect(top.topReasons[0]).toMatchObject({ reason: 'jitter', poorStreams: 80 });
    expect(top.explains).toContain('building Beta');
    expect(a.causes.map((c) => c.label)).not.toContain('building Beta');
    expect(a.explained.find((c) => c.label === 'building Beta')?.explainedBy).toBe('subnet 10.9.1.0');
    expect(a.causes).toHaveLength(1);
    expect(top.links.users).toBe('#/users?media-type=audio&subnet=10.9.1.0');
  });

  it('a building bad everywhere stays the cause, its subnets explained by it', async () => {
    const data = [
      ...['Alpha', 'Gamma', 'Delta'].flatMap((b, i) =>
        streams(600, 12, { building: b, subnet: `10.${i}.0.0` }),
      ),
      ...[1, 2, 3].flatMap((i) => streams(200, 60, { building: 'Beta', subnet: `10.9.${i}.0` })),
    ];
    const a = await findCausesIn(testCounts(data), { filters: {} });
    expect(a.causes.map((c) => c.label)).toEqual(['building Beta']);
    expect(a.explained.map((c) => c.explainedBy)).toEqual([
      'building Beta',
      'building Beta',
      'building Beta',
    ]);
  });

  it('a look-alike confounded by who uses it ranks below the cause: the band explained by the device', async () => {
    // The bad headset is used mostly on 2.4 GHz, which is fine by itself.
    const data = [
      ...streams(300, 120, { 'capture-device': 'Bad Headset', 'wifi-band': '2.4' }),
      ...streams(100, 40, { 'capture-device': 'Bad Headset', 'wifi-band': '5' }),
      ...streams(300, 6, { 'capture-device': 'Good Headset', 'wifi-band': '2.4' }),
      ...streams(2000, 40, { 'capture-device': 'Good Headset', 'wifi-band': '5' }),
    ];
    const a = await findCausesIn(testCounts(data), { filters: {} });
    expect(a.causes[0]).toMatchObject({ dimensions: ['capture-device'], values: ['Bad Headset'] });
    expect(a.explained.find((c) => c.label === 'wifi-band 2.4')?.explainedBy).toBe(
      'capture-device Bad Headset',
    );
  });

  it('two independent causes are both kept', async () => {
    const data = [
      ...streams(300, 90, { 'capture-device': 'Bad Headset', 'wifi-band': '5' }),
      ...streams(300, 90, { 'capture-device': 'Good Headset', 'wifi-band': '2.4' }),
      ...streams(2000, 40, { 'capture-device': 'Good Headset', 'wifi-band': '5' }),
    ];
    const a = await findCausesIn(testCounts(data), { filters: {} });
    expect(a.causes.map((c) => c.label).sort()).toEqual(['capture-device Bad Headset', 'wifi-band 2.4']);
  });

  it('hides a group below the minimum of classified streams, however bad', async () => {
    const data = [...streams(3000, 60, { subnet: '10.0.0.0' }), ...streams(29, 29, { subnet: '10.7.7.0' })];
    const a = await findCausesIn(testCounts(data), { filters: {} });
    expect(a.causes).toEqual([]);
    const more = [...data, ...streams(1, 1, { subnet: '10.7.7.0' })];
    expect((await findCausesIn(testCounts(more), { filters: {} })).causes[0]?.values).toEqual(['10.7.7.0']);
  });

  it('a subnet bad only at 13–15 is named with its hours; the hours alone are explained by it', async () => {
    const data = [];
    for (let h = 0; h < 24; h++) {
      const hour = String(h).padStart(2, '0');
      data.push(...streams(100, 2, { subnet: '10.0.0.0', [hourOfDay]: hour }));
      data.push(...streams(40, h >= 13 && h <= 15 ? 24 : 1, { subnet: '10.1.2.0', [hourOfDay]: hour }));
    }
    const a = await findCausesIn(testCounts(data), {
      filters: {},
      dimensions: ['subnet', hourOfDay],
    });
    expect(a.causes[0]).toMatchObject({
      dimensions: ['subnet', 'hour-of-day'],
      values: ['10.1.2.0', '13-15'],
    });
    expect(a.causes[0].classifiedStreams).toBe(120);
    expect(a.causes[0].links.calls).toContain('hour-of-day=13%2C14%2C15');
    expect(a.explained.find((c) => c.label === 'subnet 10.1.2.0')?.explainedBy).toBe(
      'subnet 10.1.2.0 at hour-of-day 13-15',
    );
    expect(a.causes.map((c) => c.dimensions.join())).not.toContain('hour-of-day');
  });

  it('a subnet too diluted over the day to be a candidate is found at its hours, its building explained by it', async () => {
    // 10.1.2.0 is bad (70 %) only at 12–14, 30 of its 450 streams; the rest of the day it is better than normal,
    // so over the day its z is below 3. Building Beta at those hours has more excess, but only through it.
    const data = [];
    for (let h = 0; h < 24; h++) {
      const hour = String(h).padStart(2, '0');
      const peak = h >= 12 && h <= 14;
      data.push(...streams(200, 10, { building: 'Alpha', subnet: '10.0.0.0', [hourOfDay]: hour }));
      data.push(
        ...streams(50, peak ? 4 : 2 + (h % 2), { building: 'Beta', subnet: '10.1.1.0', [hourOfDay]: hour }),
      );
      data.push(
        ...streams(peak ? 10 : 20, peak ? 7 : h % 2, {
          building: 'Beta',
          subnet: '10.1.2.0',
          [hourOfDay]: hour,
        }),
      );
    }
    const a = await findCausesIn(testCounts(data), {
      filters: {},
      dimensions: ['building', 'subnet', hourOfDay],
    });
    expect(a.causes.map((c) => c.label)).toEqual(['subnet 10.1.2.0 at hour-of-day 12-14']);
    expect(a.causes[0].classifiedStreams).toBe(30);
    expect(a.explained.find((c) => c.label === 'building Beta at hour-of-day 12-14')?.explainedBy).toBe(
      'subnet 10.1.2.0 at hour-of-day 12-14',
    );
  });

  it('counts audio unless the scope names a media type', async () => {
    const data = [
      ...streams(1000, 20, { subnet: '10.0.0.0' }),
      ...streams(200, 100, { subnet: '10.5.0.0', 'media-type': 'video' }),
      ...streams(1000, 20, { subnet: '10.0.0.0', 'media-type': 'video' }),
    ];
    expect((await findCausesIn(testCounts(data), { filters: {} })).causes).toEqual([]);
    const video = await findCausesIn(testCounts(data), { filters: { 'media-type': ['video'] } });
    expect(video.causes[0].values).toEqual(['10.5.0.0']);
  });

  it('expands an hour range', () => {
    expect(expandHours('08-10')).toEqual(['08', '09', '10']);
    expect(expandHours('23')).toEqual(['23']);
  });
});
