// The collector against the Graph twin (in-process, manual clock): whatever the faults, the store ends equal to truth.
import { describe, expect, it } from 'vitest';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import type { FaultSettings } from '../twin/faults.ts';
import { runFor, startTwinRun } from './test-twin.ts';

const hour = 3600_000;
const scenarios: [string, 'none' | 'storm' | Partial<FaultSettings>][] = [
  ['no faults', 'none'],
  [
    'dropped, duplicated and out-of-order notifications',
    { dropNotificationRate: 0.3, duplicateNotificationRate: 0.3, reorderNotifications: true },
  ],
  [
    'the storm profile (5xx bursts, timeouts, 429 storms, notification chaos, removed subscriptions, late 404s)',
    'storm',
  ],
];

for (const database of await testDatabases())
  describe(`collector against the Graph twin on ${database.name}`, () => {
    for (const [name, faults] of scenarios)
      it(`ends with every record at its latest version, none twice: ${name}`, {
        timeout: 300_000,
      }, async () => {
        const opened = await database.open();
        const store = await storeFromDb(opened.db, opened.url);
        const run = await startTwinRun({ store, seed: 21, users: 30, historyDays: 1, faults });
        try {
          await runFor(run, 5 * hour, 30_000);
          // From here on nothing is notified: what still changes (late telemetry, calls already under way)
          // only reconciliation and the final-horizon lists can find.
          run.twin.stop();
          await runFor(run, 28 * hour, 10 * 60_000);
          const cmp = await run.compare();
          expect(cmp.truth).toBeGreaterThan(40);
          expect(cmp.missing).toEqual([]);
          expect(cmp.behind).toEqual([]);
          expect(cmp.extra).toEqual([]);
          expect(cmp.duplicates).toBe(0);
          expect(cmp.atLatest).toBe(cmp.truth);
        } finally {
          await run.close();
          await opened.dispose();
        }
      });
  });
