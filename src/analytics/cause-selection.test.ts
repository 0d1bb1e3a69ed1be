// Which groups are causes, on hand-made streams built so the answer is known: a headset confounded by a broken client
// version, a building whose bad uplink hurts its subnets unequally, call type left out of the causes.
import { describe, expect, it } from 'vitest';
import { causeDimensions, findCausesIn } from './find-causes.ts';
import { streams, testCounts } from './test-cause-counts.ts';

describe('cause selection', () => {
  it('a headset common among the users of a broken client version is explained by the version', async () => {
    // The broken version (50% poor) runs with both headsets; outside it the Zone headset is as good as the rest (2%).
    const a = await findCausesIn(
      testCounts([
        ...streams(300, 150, { 'capture-device': 'Zone', 'client-version': 'bad' }),
        ...streams(700, 14, { 'capture-device': 'Zone', 'client-version': 'good' }),
        ...streams(300, 150, { 'capture-device': 'Jabra', 'client-version': 'bad' }),
        ...streams(3000, 60, { 'capture-device': 'Jabra', 'client-version': 'good' }),
      ]),
      { filters: {} },
    );
    expect(a.causes.map((c) => c.label)).toEqual(['client-version bad']);
    expect(a.explained.find((c) => c.label === 'capture-device Zone')?.explainedBy).toBe(
      'client-version bad',
    );
  });

  it('a building bad on every subnet, one worse than the other, is the cause and explains both', async () => {
    const a = await findCausesIn(
      testCounts([
        ...streams(300, 120, { building: 'Beta', subnet: '10.9.1.0' }),
        ...streams(300, 60, { building: 'Beta', subnet: '10.9.2.0' }),
        ...['Alpha', 'Gamma', 'Delta'].flatMap((b, i) =>
          streams(1000, 20, { building: b, subnet: `10.${i}.0.0` }),
        ),
      ]),
      { filters: {} },
    );
    expect(a.causes.map((c) => c.label)).toEqual(['building Beta']);
    expect(a.causes[0].explains.sort()).toEqual(['subnet 10.9.1.0', 'subnet 10.9.2.0']);
  });

  it('a single subnet of a building still explains the building when the other is fine', async () => {
    const a = await findCausesIn(
      testCounts([
        ...streams(300, 120, { building: 'Beta', subnet: '10.9.1.0' }),
        ...streams(300, 6, { building: 'Beta', subnet: '10.9.2.0' }),
        ...['Alpha', 'Gamma'].flatMap((b, i) => streams(1000, 20, { building: b, subnet: `10.${i}.0.0` })),
      ]),
      { filters: {} },
    );
    expect(a.causes.map((c) => c.label)).toEqual(['subnet 10.9.1.0']);
  });

  it('call type is a scope to filter by, not a cause: peer-to-peer streams carry two ends', () => {
    expect(causeDimensions()).not.toContain('call-type');
    expect(causeDimensions()).toContain('transport');
  });
});
