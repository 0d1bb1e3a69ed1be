// Retention on both databases: EUII gone from rows, raw JSON and (SQLite) the files' bytes; numbers unchanged.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QualityQuery } from '../analytics/quality-query.ts';
import { queryQuality } from '../analytics/query-quality.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { upsertPstnCalls } from '../store/pstn-logs.ts';
import { decompress } from '../store/records.ts';
import { grains, reachTable } from '../store/rollup-grains.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { loadKeyring } from './pseudonym-key.ts';
import { createTokenizer } from './pseudonymize.ts';
import { type RetentionOptions, runRetention } from './retention.ts';
import { ourTenant, person, plantedRecord, plantedStrings } from './test-records.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 5, 9);
/** After the last call's end (the six calls span a day and a half). */
const t1 = t0 + 2 * DAY;
const users = [1, 2, 3, 4, 5, 6, 7];
const planted = [
  ...plantedStrings(users),
  '+4930999000111',
  'pstn.user@contoso-privacy.example',
  '198.51.100.23',
];

const queries: QualityQuery[] = [
  {
    by: ['day'],
    filters: {},
    measures: ['streams', 'poorStreams', 'poorPercent', 'calls', 'users', 'minutes'],
  },
  { by: ['network-type', 'wifi-band', 'subnet'], filters: {}, measures: ['streams', 'avgJitterMs', 'users'] },
  { by: ['user'], filters: {}, measures: ['streams', 'poorStreams', 'calls'] },
];

/** Every number of every query, with the user dimension's values (which become tokens) left out. */
async function numbers(store: Store): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of queries) {
    const rows = await queryQuality(store.db, q);
    out.push(
      rows
        .map((r) => Object.entries(r).filter(([k]) => k !== 'user'))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    );
  }
  return out;
}

async function rollupSums(store: Store): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of [...grains.map((g) => g.table), reachTable]) {
    const rows = await store.db.all<Record<string, unknown>>(`SELECT * FROM ${t}`);
    out[t] = rows
      .map((r) => JSON.stringify(Object.entries(r).filter(([k]) => k !== 'user_id' && k !== 'value')))
      .sort();
  }
  return out;
}

/** Every table's rows as text plus every raw body decompressed: what a database holds, read logically. */
async function everything(store: Store): Promise<string> {
  const tables = await store.db.all<{ name: string }>(
    store.db.capabilities.dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { name } of tables)
    for (const row of await store.db.all<Record<string, unknown>>(`SELECT * FROM ${name}`))
      parts.push(JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? '(bytes)' : v)));
  for (const r of await store.db.all<{ encoding: string; body: Uint8Array }>(
    'SELECT encoding, body FROM raw_versions',
  ))
    parts.push(decompress(r.body, r.encoding));
  return parts.join('\n');
}

function found(haystack: string | Buffer, needles: string[]): string[] {
  return needles.filter((n) => haystack.includes(n));
}

for (const database of await testDatabases()) {
  describe(`retention on ${database.name}`, () => {
    let store: Store;
    let url: string;
    let dispose: () => Promise<void>;
    let options: (now: number, dryRun?: boolean) => RetentionOptions;
    const keyDir = mkdtempSync(join(tmpdir(), 'calltrove-retention-'));
    let before: unknown[];
    let beforeRollups: Record<string, unknown>;

    beforeAll(async () => {
      const opened = await database.open();
      dispose = opened.dispose;
      url = opened.url;
      store = await storeFromDb(opened.db, opened.url);
      const ring = loadKeyring(join(keyDir, 'key.json'), t0);
      options = (now, dryRun = false) => ({
        now,
        clock: { now: () => now },
        euiiDays: 28,
        recordDays: 400,
        dryRun,
        tokenizer: () => createTokenizer(ring, ourTenant),
      });
      for (let i = 0; i < 6; i++) {
        const record = plantedRecord({
          id: `call-${i}`,
          users: [users[i], users[(i + 1) % 7], users[(i + 3) % 7]],
          start: t0 + i * 7 * 3600_000,
          jitter: i % 2 ? 'PT0.045S' : 'PT0.012S',
        });
        await ingestRecord(store, record, { source: 'test', tenantId: ourTenant, receivedAt: t0 });
      }
      await upsertPstnCalls(
        store.db,
        [
          {
            id: 'pstn-1',
            userId: person(1).id,
            userPrincipalName: 'pstn.user@contoso-privacy.example',
            userDisplayName: person(1).name,
            callerNumber: '+4930999000111',
            calleeNumber: person(2).phone,
            startDateTime: new Date(t0).toISOString(),
            duration: 60,
            clientPublicIpV4Address: '198.51.100.23',
          } as never,
        ],
        t0,
      );
      before = await numbers(store);
      beforeRollups = await rollupSums(store);
    });
    afterAll(async () => {
      await dispose();
      rmSync(keyDir, { recursive: true, force: true });
    });

    it('holds the planted values before retention (the checks below can see them)', async () => {
      expect(found(await everything(store), planted).length).toBeGreaterThan(planted.length / 2);
      if (database.name === 'sqlite') {
        const files = Buffer.concat(
          ['', '-wal'].filter((s) => existsSync(url + s)).map((s) => readFileSync(url + s)),
        );
        expect(found(files, planted).length).toBeGreaterThan(planted.length / 3);
      }
    });

    it('a dry run reports what it would clear and changes nothing', async () => {
      const report = await runRetention(store, options(t1 + 29 * DAY, true));
      expect(report.recordsScrubbed).toBe(6);
      expect(report.cleared['call_media_endpoints.ip_address']).toBeGreaterThan(0);
      expect(found(await everything(store), planted).length).toBeGreaterThan(planted.length / 2);
    });

    it('at now + 29 days leaves none of the planted values anywhere, and the numbers as they were', async () => {
      const report = await runRetention(store, options(t1 + 29 * DAY));
      expect(report.recordsScrubbed).toBe(6);
      expect(report.rawVersionsScrubbed).toBe(6);
      expect(report.cleared['calls.organizer_upn']).toBe(6);
      expect(report.cleared['raw_versions.body:sessions[].callee.feedback.text']).toBeGreaterThan(0);
      expect(report.tokenized['rollup_user.user_id']).toBeGreaterThan(0);
      expect(report.tokenized['call_endpoints.identity_id']).toBeGreaterThan(0);
      expect(report.compaction?.done).toBe(true);
      expect(found(await everything(store), planted).length).toBe(0);
      if (database.name === 'sqlite')
        for (const suffix of ['', '-wal', '-shm'])
          if (existsSync(url + suffix))
            expect(found(readFileSync(url + suffix), planted).length, suffix).toBe(0);
      expect(await numbers(store)).toEqual(before);
      expect(await rollupSums(store)).toEqual(beforeRollups);
    });

    it('is idempotent: a second run clears nothing more', async () => {
      const report = await runRetention(store, options(t1 + 30 * DAY));
      expect(report.cleared).toEqual({});
      expect(report.tokenized).toEqual({});
      expect(await numbers(store)).toEqual(before);
    });

    it('scrubs a record saved again after its scrub (a late re-fetch)', async () => {
      const again = plantedRecord({ id: 'call-0', users: [1, 2, 4], start: t0, version: 2 });
      await ingestRecord(store, again, { source: 'refetch', tenantId: ourTenant, receivedAt: t1 + 29 * DAY });
      expect(found(await everything(store), plantedStrings([1])).length).toBeGreaterThan(0);
      const report = await runRetention(store, options(t1 + 30 * DAY));
      expect(report.recordsScrubbed).toBe(1);
      expect(found(await everything(store), planted).length).toBe(0);
    });

    it('after recordDays removes the records entirely and keeps the rollups as aggregates', async () => {
      const rollups = await rollupSums(store);
      const report = await runRetention(store, options(t1 + 401 * DAY));
      expect(report.recordsRemoved).toBe(6);
      expect(report.removed.calls).toBe(6);
      expect(report.removed.raw_versions).toBe(7);
      expect(report.removed.pstn_calls).toBe(1);
      const left = await store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM call_streams');
      expect(Number(left?.n)).toBe(0);
      expect(await rollupSums(store)).toEqual(rollups);
    });

    it('removes a removed record imported again, with what it added to the rollups', async () => {
      const rollups = await rollupSums(store);
      const old = plantedRecord({ id: 'call-3', users: [4, 5, 7], start: t0 + 21 * 3600_000 });
      await ingestRecord(store, old, { source: 'old file', tenantId: ourTenant, receivedAt: t1 + 402 * DAY });
      expect(await rollupSums(store)).not.toEqual(rollups);
      const report = await runRetention(store, options(t1 + 402 * DAY));
      expect(report.recordsRemoved).toBe(1);
      expect(await rollupSums(store)).toEqual(rollups);
      expect(found(await everything(store), planted).length).toBe(0);
    });
  });
}
