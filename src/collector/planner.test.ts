// The planner's decision: v1 at once, coalesce until quiet, fetch on a newer listed version, nothing otherwise.
import { describe, expect, it } from 'vitest';
import type { RecordPlan } from '../store/record-plans.ts';
import { nextFetchAt } from './planner.ts';

const now = Date.UTC(2026, 0, 5, 12);
const s = { strategy: 'planned' as const, settleMs: 20 * 60_000, finalHorizonMs: 6 * 3600_000 };
const base: RecordPlan = {
  recordId: 'r',
  firstSeenAt: now - 1000,
  firstNotifiedAt: now - 1000,
  lastNotifiedAt: now - 1000,
  notifySeq: 1,
  fetchedSeq: 0,
  fetches: 0,
  knownVersion: null,
  knownModifiedAt: null,
  storedVersion: null,
  firstStoredAt: null,
  lastFetchedAt: null,
  startAt: null,
  endAt: null,
  finalChecked: false,
  missingSince: null,
};

describe('nextFetchAt', () => {
  it('fetches a record never stored at once', () => {
    expect(nextFetchAt(base, s, now)).toBe(now);
  });

  it('waits for a notified record to be quiet for the settle window', () => {
    const plan = {
      ...base,
      storedVersion: 1,
      fetchedSeq: 1,
      notifySeq: 4,
      lastNotifiedAt: now - 60_000,
      lastFetchedAt: now - 120_000,
    };
    expect(nextFetchAt(plan, s, now)).toBe(now - 60_000 + s.settleMs);
  });

  it('does not let a record that keeps changing wait past the final horizon', () => {
    const plan = {
      ...base,
      storedVersion: 1,
      fetchedSeq: 1,
      notifySeq: 90,
      lastNotifiedAt: now,
      lastFetchedAt: now - s.finalHorizonMs,
    };
    expect(nextFetchAt(plan, s, now)).toBe(now);
  });

  it('fetches nothing when the stored version is as new as anything known', () => {
    const plan = { ...base, storedVersion: 3, fetchedSeq: 1, notifySeq: 1, knownVersion: 3 };
    expect(nextFetchAt(plan, s, now)).toBeNull();
  });

  it('fetches a newer listed version once it has settled, at once after the final horizon', () => {
    const plan = {
      ...base,
      storedVersion: 2,
      fetchedSeq: 1,
      knownVersion: 3,
      knownModifiedAt: now - 5 * 60_000,
    };
    expect(nextFetchAt(plan, s, now)).toBe(now + 15 * 60_000);
    expect(nextFetchAt({ ...plan, finalChecked: true }, s, now)).toBe(now);
  });

  it('fetches on every notification in the naive strategy', () => {
    const plan = { ...base, storedVersion: 1, fetchedSeq: 1, notifySeq: 2 };
    expect(nextFetchAt(plan, { ...s, strategy: 'naive' }, now)).toBe(now);
    expect(nextFetchAt({ ...plan, notifySeq: 1 }, { ...s, strategy: 'naive' }, now)).toBeNull();
  });
});
