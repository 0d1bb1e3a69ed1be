// The lifecycle on a real store: fires once, updates only when materially worse (and not before the repeat interval),
// resolves and says so, holds messages while muted or acknowledged, and keeps the history.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../store/alerts.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { applyObservations } from './lifecycle.ts';
import type { AlertMessage } from './message.ts';
import type { Observation } from './observation.ts';
import { builtInRules, type Rule } from './rules.ts';

const [sqlite] = await testDatabases();
const HOUR = 3_600_000;
const rule: Rule = {
  ...(builtInRules.find((r) => r.id === 'audio-poor-rate') as Rule),
  enabled: true,
  channels: null,
};

const obs = (value: number | null, status: Observation['status'] = 'firing'): Observation => ({
  scopeKey: 'building:Beta',
  scopeLabel: 'Beta',
  status,
  value,
  threshold: 3,
  unit: '%',
  title: `Audio poor stream rate ${value}% in Beta`,
  explanation: 'test',
  url: 'http://x/#/locations',
  figures: [{ name: 'Streams', value: '100' }],
});

describe('alert lifecycle', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const opened = await sqlite.open();
    store = await storeFromDb(opened.db, opened.url);
    dispose = opened.dispose;
  });
  afterEach(async () => dispose());

  const step = async (now: number, o: Observation) => {
    const open = new Map<string, StoredAlert>((await store.alerts.open()).map((a) => [a.scopeKey, a]));
    const mutes = await store.alerts.mutes(now);
    return applyObservations(rule, [o], { store, now, channels: ['ops'], mutes, open });
  };
  const messages = async () => {
    const [a] = await store.alerts.list({ limit: 1 });
    return (await store.alertOutbox.forAlert(a.id)).map((d) => JSON.parse(d.message) as AlertMessage);
  };

  it('fires once, stays quiet while the value holds, updates when much worse, resolves and says so', async () => {
    const t = Date.UTC(2026, 0, 15, 9);
    expect((await step(t, obs(8))).map((c) => c.change)).toEqual(['fired']);
    expect(await step(t + 5 * 60_000, obs(9))).toEqual([]);
    // Much worse, but too soon after the last message (repeat interval 6 h): no message yet.
    expect(await step(t + HOUR, obs(20))).toEqual([]);
    expect((await step(t + 7 * HOUR, obs(20))).map((c) => c.change)).toEqual(['updated']);
    expect(await step(t + 8 * HOUR, obs(12, 'unknown'))).toEqual([]);
    expect((await step(t + 9 * HOUR, obs(2, 'clear'))).map((c) => c.change)).toEqual(['resolved']);
    const sent = await messages();
    expect(sent.map((m) => [m.event, m.state, m.value])).toEqual([
      ['fired', 'firing', 8],
      ['updated', 'firing', 20],
      ['resolved', 'resolved', 2],
    ]);
    expect(sent[2].title).toMatch(/^Resolved: /);
    expect(sent[2].resolvedAt).toBe(new Date(t + 9 * HOUR).toISOString());
    const [a] = await store.alerts.list({ limit: 1 });
    expect(a).toMatchObject({ state: 'resolved', peakValue: 20, startedAt: t });
    expect((await store.alerts.events(a.id)).map((e) => e.kind)).toEqual(['fired', 'updated', 'resolved']);
  });

  it('holds a re-fire that comes too soon after the last message, and sends it once the interval has passed', async () => {
    const t = Date.UTC(2026, 0, 15, 9);
    await step(t, obs(8));
    await step(t + HOUR, obs(1, 'clear'));
    expect((await step(t + 2 * HOUR, obs(8))).map((c) => c.change)).toEqual(['held']);
    expect(await step(t + 3 * HOUR, obs(8))).toEqual([]);
    // The resolved message went at t + 1 h: the new episode may speak from t + 7 h.
    expect((await step(t + 7 * HOUR, obs(8))).map((c) => c.change)).toEqual(['fired']);
    expect((await messages()).map((m) => m.event)).toEqual(['fired']);
  });

  it('sends nothing while muted, then the first message once the mute ends; an acknowledged alert gets no updates', async () => {
    const t = Date.UTC(2026, 0, 15, 9);
    await store.alerts.mute(
      { ruleId: rule.id, scopeKey: 'building:Beta', untilAt: t + HOUR, actor: 'cli' },
      t,
    );
    expect((await step(t, obs(8))).map((c) => c.change)).toEqual(['held']);
    expect(await messages()).toEqual([]);
    expect((await step(t + 2 * HOUR, obs(8))).map((c) => c.change)).toEqual(['fired']);
    const [a] = await store.alerts.list({ limit: 1 });
    await store.alerts.acknowledge(a.id, 'cli', t + 3 * HOUR);
    expect(await step(t + 9 * HOUR, obs(30))).toEqual([]);
    expect((await step(t + 10 * HOUR, obs(1, 'clear'))).map((c) => c.change)).toEqual(['resolved']);
    expect((await messages()).map((m) => m.event)).toEqual(['fired', 'resolved']);
  });

  it('resolves a never-sent alert without a message', async () => {
    const t = Date.UTC(2026, 0, 15, 9);
    await store.alerts.mute({ ruleId: rule.id, scopeKey: '*', untilAt: t + 10 * HOUR, actor: 'cli' }, t);
    await step(t, obs(8));
    expect((await step(t + HOUR, obs(1, 'clear'))).map((c) => c.change)).toEqual(['resolved']);
    expect(await messages()).toEqual([]);
  });
});
