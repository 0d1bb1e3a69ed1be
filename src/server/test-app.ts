// Test support: a temporary SQLite store filled through the real ingest pipeline, and an app over it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, ManualClock } from '../clock/clock.ts';
import { collectOnce } from '../collector/once.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import type { AuditEvent } from '../service/service.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { openStore, type Store } from '../store/store.ts';
import { noThrottle } from '../twin/test-client.ts';
import { createTwin, type Twin } from '../twin/twin.ts';
import { createApp } from './app.ts';
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
  /** The SQLite file, for the CLI (`--db`). */
  path: string;
  records: Record<string, unknown>[];
  dispose(): Promise<void>;
}

/** A fresh store with the test buildings and the synthetic calls ingested as the collector would. */
export async function filledTestStore(options: Partial<TestTenantOptions> = {}): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-server-'));
  const path = join(dir, 'calltrove.db');
  const store = await openStore(path);
  await replaceBuildings(store.db, parseBuildingFile(testBuildingsCsv).buildings);
  const records = testCallRecords({ end: testNow, ...options });
  for (const [i, json] of records.entries())
    await ingestRecord(store, json, { source: `test:${i}`, tenantId: testTenantId, receivedAt: testNow });
  return {
    store,
    path,
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
  /** The server's "now" (default testNow). */
  now?: number;
}

/** An API-only app over the store with a fixed clock; audit events are collected for assertions. */
export function testApp(store: Store, options: TestAppOptions = {}) {
  const audits: AuditEvent[] = [];
  // Without suppression, groups of any size are shown (minGroupSize 1), so numbers compare one to one.
  const overrides = options.config ?? {};
  const config = loadConfig({
    env: {},
    overrides: options.suppress
      ? overrides
      : { ...overrides, privacy: { minGroupSize: 1, ...overrides.privacy } },
  });
  const app = createApp({
    store,
    config,
    clock: fixedClock(options.now),
    dashboardDir: false,
    audit: (e) => {
      audits.push(e);
    },
  });
  return { app, audits, config };
}

export interface TwinStore {
  store: Store;
  twin: Twin;
  /** The twin's clock, stopped at "now": give it to the server so relative periods (30d) match the data. */
  clock: ManualClock;
  dispose(): Promise<void>;
}

/**
 * A store filled the way production fills it: a seeded Graph twin (its building file imported first), pulled by
 * the collector (list, fetch, ingest) over the twin's in-process fetch, PSTN and Direct Routing logs included.
 */
export async function twinFilledStore(
  options: { seed?: number; users?: number; days?: number } = {},
): Promise<TwinStore> {
  const clock = new ManualClock(Date.UTC(2026, 0, 8, 12, 0, 0));
  const days = options.days ?? 5;
  const twin = createTwin({
    seed: options.seed ?? 7,
    users: options.users ?? 30,
    days,
    clock,
    throttle: noThrottle,
    // Microsoft leaves traceRouteHops empty unless support enables them; the tests want them shown.
    traceRoute: true,
  });
  const c = twin.credentials;
  const config = loadConfig({
    env: {},
    overrides: {
      tenantId: c.tenantId,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      graphUrl: 'https://graph.twin.test/v1.0',
      authorityUrl: 'https://login.twin.test',
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-twin-'));
  const store = await openStore(join(dir, 'calltrove.db'));
  await replaceBuildings(store.db, parseBuildingFile(twin.buildingsCsv()).buildings);
  await collectOnce({
    config,
    store,
    clock,
    fetch: (url, init) => twin.fetch(new Request(url, init)),
    since: clock.now() - (days + 1) * 86_400_000,
    pstn: true,
  });
  return {
    store,
    twin,
    clock,
    async dispose() {
      twin.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
