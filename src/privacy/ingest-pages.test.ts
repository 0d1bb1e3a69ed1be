// A page of an old record's sessions, imported after the record, is scrubbed as the record was (no EUII back).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { importPaths } from '../ingest/import-files.ts';
import { samplePath } from '../ingest/test-samples.ts';
import { SqliteDb } from '../store/sqlite/sqlite-db.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { createPrivacyTransform } from './ingest-transform.ts';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-pages-'));
  store = await storeFromDb(new SqliteDb(join(dir, 'db.sqlite')), join(dir, 'db.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('scrubs a sessions page of a record past euiiDays, as the record itself was scrubbed', async () => {
  const config = loadConfig({ overrides: { privacy: { keyFile: join(dir, 'pseudonym.key') } } });
  // The sample call is from 2020: long past the 28 days EUII is kept.
  const transform = createPrivacyTransform({ config, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  const summary = await importPaths(
    store,
    [
      samplePath('v1.0_callRecord_get_basic.response.json'),
      samplePath('v1.0_sessions_list_expand_segments.response.json'),
    ],
    { transform, now: () => Date.UTC(2026, 0, 5) },
  );
  expect(summary.failed).toEqual([]);
  expect(summary.updated).toBe(1);
  const endpoints = await store.db.all<{ n: number }>(
    `SELECT count(*) AS n FROM call_endpoints
      WHERE identity_name IS NOT NULL OR device_name IS NOT NULL OR identity_id NOT LIKE 'pz.%'`,
  );
  expect(endpoints[0].n).toBe(0);
  expect((await store.records.rows('e523d2ed-2966-4b6b-925b-754a88034cc5'))?.endpoints.length).toBe(4);
  // The raw copy holds none of the sample's names, machine names, user ids or addresses.
  const raw = JSON.stringify(await store.records.rawJson('e523d2ed-2966-4b6b-925b-754a88034cc5'));
  const planted = ['Abbie Wilkins', 'Owen Franklin', 'machineName_1', '821809f5-0000', '10.150.0.2'];
  expect(planted.filter((s) => raw.includes(s)).length).toBe(0);
});
