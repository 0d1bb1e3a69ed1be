// Test support: a temporary SQLite store filled through the real ingest pipeline, and an app over it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../clock/clock.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { openStore, type Store } from '../store/store.ts';
import { createApp } from './app.ts';
import { type AuditEvent, noSuppression } from './privacy-seams.ts';
import { type TestTenantOptions, testBuildingsCsv, testCallRecords, testTenantId } from './test-records.ts';

/** Fixed "now" of the server tests: every synthetic call lies in the week before it. */
export const testNow = Date.UTC(2025, 2, 14, 12, 0, 0);

export const fixedClock = (now = testNow): Clock => ({
  now: () => now,
  setTimeout: () => ({ id: 0 }),
  clearTimeout: () => {},
  sleep: () => Promise.resolve(),
});

export interface TestStore {
  store: Store;
  records: Record<string, unknown>[];
  dispose(): Promise<void>;
}

/** A fresh store with the test buildings and the synthetic calls ingested as the collector would. */
export async function filledTestStore(options: Partial<TestTenantOptions> = {}): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-server-'));
  const store = await openStore(join(dir, 'calltrove.db'));
  await replaceBuildings(store.db, parseBuildingFile(testBuildingsCsv).buildings);
  const records = testCallRecords({ end: testNow, ...options });
  for (const [i, json] of records.entries())
    await ingestRecord(store, json, { source: `test:${i}`, tenantId: testTenantId, receivedAt: testNow });
  return {
    store,
    records,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestAppOptions {
  config?: ConfigInput;
  /** Keep suppression on (default off so numbers compare one to one). */
  suppress?: boolean;
}

/** An API-only app over the store with a fixed clock; audit events are collected for assertions. */
export function testApp(store: Store, options: TestAppOptions = {}) {
  const audits: AuditEvent[] = [];
  const config = loadConfig({ env: {}, overrides: options.config ?? {} });
  const app = createApp({
    store,
    config,
    clock: fixedClock(),
    dashboardDir: false,
    audit: (e) => {
      audits.push(e);
    },
    ...(options.suppress ? {} : { suppression: noSuppression }),
  });
  return { app, audits, config };
}
