// Pseudonymization at ingest: no raw identifier reaches the database, and per-user reports still group calls.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryQuality } from '../analytics/query-quality.ts';
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { decompress } from '../store/records.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { createPrivacyTransform, createPstnRowTransform } from './ingest-transform.ts';
import { ourTenant, person, plantedRecord, plantedStrings } from './test-records.ts';

const t0 = Date.UTC(2026, 0, 5, 9);
const users = [1, 2, 3, 4, 5];
/** Each user's calls: user n is in calls i where n is one of [i, i+1, i+3] (mod 5). */
const calls = [0, 1, 2, 3, 4].map((i) => [users[i], users[(i + 1) % 5], users[(i + 3) % 5]]);

async function load(store: Store, transform?: (r: Record<string, unknown>) => Record<string, unknown>) {
  for (const [i, members] of calls.entries())
    await ingestRecord(store, plantedRecord({ id: `call-${i}`, users: members, start: t0 + i * 3600_000 }), {
      source: 'test',
      tenantId: ourTenant,
      receivedAt: t0,
      transform,
    });
}

async function perUser(store: Store): Promise<number[]> {
  const rows = await queryQuality(store.db, { by: ['user'], filters: {}, measures: ['streams', 'calls'] });
  return rows.map((r) => Number(r.calls) * 1000 + Number(r.streams)).sort((a, b) => a - b);
}

async function rawText(store: Store): Promise<string> {
  const rows = await store.db.all<{ encoding: string; body: Uint8Array }>(
    'SELECT encoding, body FROM raw_versions',
  );
  return rows.map((r) => decompress(r.body, r.encoding)).join('\n');
}

for (const database of await testDatabases()) {
  describe(`pseudonymize mode on ${database.name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-pseudo-'));
    const keyFile = join(dir, 'keys', 'pseudonym.key');
    const config = loadConfig({
      overrides: { privacy: { mode: 'pseudonymize', keyFile }, tenantId: ourTenant },
    });
    const clock = new ManualClock(t0 + 3600_000 * 6);
    let plain: Store;
    let pseudo: Store;
    let pseudoUrl: string;
    const disposers: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      for (const which of ['plain', 'pseudo'] as const) {
        const opened = await database.open();
        disposers.push(opened.dispose);
        const store = await storeFromDb(opened.db, opened.url);
        if (which === 'plain') plain = store;
        else {
          pseudo = store;
          pseudoUrl = opened.url;
        }
      }
      await load(plain);
      await load(pseudo, createPrivacyTransform({ config, clock }));
    });
    afterAll(async () => {
      for (const d of disposers) await d();
      rmSync(dir, { recursive: true, force: true });
    });

    it('creates the key file outside the database, readable by its owner only', () => {
      expect(existsSync(keyFile)).toBe(true);
      if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    });

    it('stores none of the raw identifiers, in rows, raw versions or (SQLite) the files', async () => {
      const planted = plantedStrings(users);
      const plainRaw = await rawText(plain);
      expect(planted.filter((p) => plainRaw.includes(p)).length).toBeGreaterThan(5);
      const raw = await rawText(pseudo);
      expect(planted.filter((p) => raw.includes(p)).length).toBe(0);
      const rows = JSON.stringify(await pseudo.records.rows('call-0'));
      expect(planted.filter((p) => rows.includes(p)).length).toBe(0);
      if (database.name === 'sqlite') {
        await pseudo.db.all('PRAGMA wal_checkpoint(TRUNCATE)');
        for (const suffix of ['', '-wal'])
          if (existsSync(pseudoUrl + suffix))
            expect(planted.filter((p) => readFileSync(pseudoUrl + suffix).includes(p)).length).toBe(0);
      }
    });

    it('keeps subnet-level facts: addresses truncated to their /24, subnets as they were', async () => {
      const rows = await pseudo.records.rows('call-0');
      const ends = rows?.mediaEndpoints ?? [];
      expect(ends[0]?.ip_address).toBe(`10.77.${person(1).ip.split('.')[2]}.x`);
      expect(ends[0]?.subnet).toBe('10.77.0.0');
    });

    it("still groups each user's calls together, exactly as without pseudonyms", async () => {
      const expected = await perUser(plain);
      expect(expected).toHaveLength(5);
      expect(await perUser(pseudo)).toEqual(expected);
      const users = await queryQuality(pseudo.db, { by: [], filters: {}, measures: ['users'] });
      expect(users[0]?.users).toBe(5);
    });
  });
}

describe('privacy transform', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-transform-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keep = loadConfig({ overrides: { privacy: { keyFile: join(dir, 'k.key') } } });
  const record = plantedRecord({ id: 'c', users: [1, 2], start: t0 });

  it('in keep mode leaves a recent record as it is and creates no key file', () => {
    const transform = createPrivacyTransform({ config: keep, clock: new ManualClock(t0 + 86_400_000) });
    expect(transform(record)).toBe(record);
    expect(existsSync(join(dir, 'k.key'))).toBe(false);
  });

  it('stores a record older than euiiDays already scrubbed, so a late re-fetch brings no EUII back', () => {
    const transform = createPrivacyTransform({ config: keep, clock: new ManualClock(t0 + 29 * 86_400_000) });
    const out = JSON.stringify(transform(record));
    expect(plantedStrings([1, 2]).filter((p) => out.includes(p)).length).toBe(0);
    expect(out).toContain('PT0.045S');
  });

  it('pseudonymizes PSTN log rows', () => {
    const config = loadConfig({
      overrides: { privacy: { mode: 'pseudonymize', keyFile: join(dir, 'p.key') } },
    });
    const row = { id: 'r1', userPrincipalName: person(1).upn, callerNumber: person(1).phone, duration: 60 };
    const out = createPstnRowTransform({ config, clock: new ManualClock(t0) })(row, 'pstn');
    expect(JSON.stringify(out).includes(person(1).upn), 'an EUII value is present').toBe(false);
    expect(JSON.stringify(out).includes(person(1).phone), 'an EUII value is present').toBe(false);
    expect(out.duration).toBe(60);
  });
});
