// The collector-health rules driven by the Graph twin (collector in-process, manual clock, alerts evaluated every
// 5 minutes): notifications switched off for hours while calls go on raise the alert within one evaluation after the
// threshold and resolve it once they return; a subscription Graph removed and refuses to recreate raises another.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFor, startTwinRun, type TwinRun } from '../collector/test-twin.ts';
import { loadConfig } from '../config/config.ts';
import { silentLogger } from '../config/logger.ts';
import { readCollectorState } from '../store/collector-state.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { createChannels } from './channels/index.ts';
import { runAlerts } from './run-check.ts';
import { startReceiver, type TestReceiver } from './test-receiver.ts';

const [sqlite] = await testDatabases();
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Payload {
  key: string;
  state: string;
  title: string;
  explanation: string;
}

describe('collector-health alerts on the Graph twin', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let receiver: TestReceiver;
  let run: TwinRun;
  beforeEach(async () => {
    const opened = await sqlite.open();
    store = await storeFromDb(opened.db, opened.url);
    dispose = opened.dispose;
    receiver = await startReceiver();
    run = await startTwinRun({ store, seed: 5, users: 40, historyDays: 1 });
  }, 300_000);
  afterEach(async () => {
    await run.close();
    await receiver.close();
    await dispose();
  });

  const evaluate = async () => {
    const config = loadConfig({
      overrides: {
        notificationUrl: 'https://collector.local/api/notifications',
        alerts: { channels: [{ name: 'ops', type: 'webhook', url: receiver.url }] },
      },
    });
    return runAlerts({
      store,
      config,
      channels: createChannels(config.alerts.channels),
      logger: silentLogger,
      now: () => run.clock.now(),
    });
  };
  const fired = (key: string) => receiver.delivered<Payload>().filter((p) => p.key === key);

  it('raises notifications-missing within one evaluation after 2 quiet hours with calls, and resolves it', {
    timeout: 600_000,
  }, async () => {
    const key = 'notifications-missing/collector';
    // Two hours of normal office traffic: notifications arrive, nothing fires.
    await runFor(run, 2 * HOUR, 5 * MIN, async () => {
      await evaluate();
      return true;
    });
    expect(fired(key)).toEqual([]);
    run.twin.control({ notifications: false });
    const quietFrom = (await readCollectorState(store.db)).lastNotificationAt as number;
    expect(quietFrom).toBeGreaterThan(run.clock.now() - 10 * MIN);
    let firedAt = 0;
    await runFor(run, 3 * HOUR, 5 * MIN, async (clock) => {
      await evaluate();
      if (firedAt === 0 && fired(key).length > 0) firedAt = clock.now();
      return true;
    });
    expect(firedAt).toBeGreaterThan(0);
    // Within one 5-minute evaluation after the 2-hour threshold, and not before it.
    expect(firedAt - (quietFrom + 2 * HOUR)).toBeGreaterThanOrEqual(0);
    expect(firedAt - (quietFrom + 2 * HOUR)).toBeLessThanOrEqual(5 * MIN);
    const [alert] = fired(key);
    expect(alert.state).toBe('firing');
    expect(alert.explanation).toMatch(/reconciliation found \d+ call\(s\) that ended since then/);
    expect(fired(key)).toHaveLength(1);

    run.twin.control({ notifications: true });
    let resolvedAt = 0;
    await runFor(run, HOUR, 5 * MIN, async (clock) => {
      await evaluate();
      if (resolvedAt === 0 && fired(key).some((p) => p.state === 'resolved')) resolvedAt = clock.now();
      return true;
    });
    expect(resolvedAt).toBeGreaterThan(0);
    expect(fired(key).map((p) => p.state)).toEqual(['firing', 'resolved']);
  });

  it('raises subscription-missing when Graph removed the subscription and refuses a new one, and resolves it', {
    timeout: 600_000,
  }, async () => {
    const key = 'subscription-missing/collector';
    await runFor(run, 30 * MIN, 5 * MIN, async () => {
      await evaluate();
      return true;
    });
    expect(fired(key)).toEqual([]);
    run.twin.control({ refuseSubscriptions: true, removeSubscriptions: true });
    // The collector notices at its next subscription check (hourly when notifications stop), cannot recreate.
    await runFor(run, 3 * HOUR, 5 * MIN, async () => {
      await evaluate();
      return true;
    });
    expect(fired(key).map((p) => p.state)).toEqual(['firing']);
    expect(fired(key)[0].title).toBe('Change-notification subscription removed');
    run.twin.control({ refuseSubscriptions: false });
    await runFor(run, 2 * HOUR, 5 * MIN, async () => {
      await evaluate();
      return true;
    });
    expect(fired(key).map((p) => p.state)).toEqual(['firing', 'resolved']);
  });
});
