// The outbox worked against a real receiver: 500 three times, then 200 — retried at 30 s, 1 min and 2 min, delivered
// once with the same delivery id each time; errors stored without the URL's secret path; given up in the end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { silentLogger } from '../config/logger.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { createChannels } from './channels/index.ts';
import { deliverDue } from './deliver.ts';
import { startReceiver, type TestReceiver } from './test-receiver.ts';

const [sqlite] = await testDatabases();

describe('alert delivery', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let receiver: TestReceiver;
  beforeEach(async () => {
    const opened = await sqlite.open();
    store = await storeFromDb(opened.db, opened.url);
    dispose = opened.dispose;
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await dispose();
  });

  const queue = (now: number) =>
    store.alerts.save(
      {
        fields: {
          ruleId: 'collector-down',
          scopeKey: 'collector',
          scopeLabel: 'the collector',
          severity: 'critical',
          state: 'firing',
          startedAt: now,
          unit: 'min',
          title: 'No collector has run for 20 min',
          explanation: 'test',
          value: 20,
          threshold: 15,
        },
        event: { kind: 'fired' },
        deliveries: {
          channels: ['hook'],
          message: (id) =>
            JSON.stringify({
              alertId: id,
              event: 'fired',
              state: 'firing',
              figures: [],
              scope: { key: 'collector', label: 'the collector' },
            }),
        },
      },
      now,
    );

  const run = (now: number, giveUpAfter = '3d') => {
    const config = loadConfig({
      overrides: {
        alerts: { channels: [{ name: 'hook', type: 'webhook', url: receiver.url }], giveUpAfter },
      },
    });
    return deliverDue({
      store,
      channels: createChannels(config.alerts.channels),
      now: () => now,
      owner: 'test',
      logger: silentLogger,
      giveUpAfterMs: config.alerts.giveUpAfter,
    });
  };

  it('retries a receiver that answers 500 three times with backoff, then delivers once', async () => {
    const t = Date.UTC(2026, 0, 15, 9);
    const { alertId } = await queue(t);
    receiver.answer(500, 500, 500);
    expect(await run(t)).toMatchObject({ delivered: 0, retrying: 1 });
    expect(await run(t + 29_000)).toMatchObject({ delivered: 0, retrying: 0 });
    expect(await run(t + 30_000)).toMatchObject({ retrying: 1 });
    expect(await run(t + 30_000 + 59_000)).toMatchObject({ retrying: 0 });
    expect(await run(t + 90_000)).toMatchObject({ retrying: 1 });
    expect(await run(t + 90_000 + 120_000)).toMatchObject({ delivered: 1, retrying: 0 });
    expect(await run(t + 10 * 60_000)).toMatchObject({ delivered: 0, retrying: 0 });
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.received.map((r) => r.headers['x-calltrove-delivery'])).size).toBe(1);
    expect(receiver.delivered()).toHaveLength(1);
    const [d] = await store.alertOutbox.forAlert(alertId);
    expect(d).toMatchObject({ state: 'delivered', attempts: 4, lastError: null });
  });

  it('stores the error without the secret part of the URL, and gives up after giveUpAfter', async () => {
    const t = Date.UTC(2026, 0, 15, 9);
    const { alertId } = await queue(t);
    receiver.answer(503, 503);
    await run(t, '1m');
    const [pending] = await store.alertOutbox.forAlert(alertId);
    expect(pending.lastError).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 503$/);
    expect(pending.lastError).not.toContain('secret-path-token');
    expect(await run(t + 60_000, '1m')).toMatchObject({ failed: 1 });
    expect((await store.alertOutbox.forAlert(alertId))[0].state).toBe('failed');
    expect(await store.alertOutbox.stats()).toMatchObject({ pending: 0, failed: 1 });
  });
});
