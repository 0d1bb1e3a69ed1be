import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from './clock.ts';

describe('ManualClock', () => {
  it('fires timers in due order at their own time', async () => {
    const clock = new ManualClock(0);
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['b', clock.now()]), 200);
    clock.setTimeout(() => seen.push(['a', clock.now()]), 100);
    const cancelled = clock.setTimeout(() => seen.push(['x', clock.now()]), 150);
    clock.clearTimeout(cancelled);
    await clock.advance(1000);
    expect(seen).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(1000);
  });
  it('lets a chain of sleeps run through hours in one advance', async () => {
    const clock = new ManualClock(0);
    let ticks = 0;
    const loop = (async () => {
      for (let i = 0; i < 100; i++) {
        await clock.sleep(60_000);
        ticks++;
      }
    })();
    await clock.advance(100 * 60_000);
    await loop;
    expect(ticks).toBe(100);
  });
  it('aborts a sleep', async () => {
    const clock = new ManualClock(0);
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
  });
});

describe('ScaledClock', () => {
  it('stands still at speed 0', () => {
    const clock = new ScaledClock(1_000, 0);
    expect(clock.now()).toBe(1_000);
  });
});
