// Test support: a SQLite store with known quality (a bad building among good ones) and a config file whose one
// webhook channel points at a local receiver.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { openStore, type Store } from '../store/store.ts';
import { alertTestCalls, type TestPlace, testBuildingsFile } from './test-calls.ts';

/** 12:30 UTC on a Thursday: the calls below happened in the four hours before it. */
export const testNow = Date.UTC(2026, 0, 15, 12, 30);

export const goodAndBadBuildings: TestPlace[] = [
  { name: 'Alpha', subnet: '10.1.0.0', connectionType: 'wired', weight: 3 },
  { name: 'Beta', subnet: '10.1.2.0', connectionType: 'wired', bad: true },
];

export interface AlertTestDir {
  dir: string;
  db: string;
  configFile: string;
  writeConfig(alerts: Record<string, unknown>): void;
  /** Opens the test database (the caller closes it). */
  open(): Promise<Store>;
  dispose(): void;
}

export async function alertTestDir(
  places: readonly TestPlace[] = goodAndBadBuildings,
  calls = 300,
): Promise<AlertTestDir> {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-alerts-'));
  const db = join(dir, 'calltrove.db');
  const store = await openStore(db);
  try {
    await store.buildings.replace(parseBuildingFile(testBuildingsFile).buildings);
    for (const record of alertTestCalls({ seed: 3, places, start: testNow - 4 * 3_600_000, hours: 4, calls }))
      await ingestRecord(store, record, { source: 'test', tenantId: 'tenant-1', receivedAt: testNow });
  } finally {
    await store.close();
  }
  const configFile = join(dir, 'config.json');
  return {
    dir,
    db,
    configFile,
    writeConfig(alerts) {
      writeFileSync(configFile, JSON.stringify({ databaseUrl: db, logLevel: 'silent', alerts }));
    },
    open: () => openStore(db),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
