// The privacy commands in-process through main(): import, retention run --now, audit, report residency, keys.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherTenant, ourTenant, plantedRecord, plantedStrings } from '../../privacy/test-records.ts';
import { runCli } from '../test-cli.ts';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'calltrove-privacy-cli-'));
const db = join(dir, 'calltrove.db');
// Calls of the last hours, so `import` keeps their EUII and retention has something to clear at +29 days.
const start = Date.now() - 6 * 3600_000;
const users = [1, 2, 3, 4];

const run = (...args: string[]) => runCli(['--db', db, ...args], { CALLTROVE_TENANT_ID: ourTenant });

function fileBytes(): Buffer {
  return Buffer.concat(
    ['', '-wal', '-shm'].filter((s) => existsSync(db + s)).map((s) => readFileSync(db + s)),
  );
}

beforeAll(async () => {
  const records = [
    plantedRecord({ id: 'cli-1', users: [1, 2], start }),
    plantedRecord({ id: 'cli-2', users: [3, 4], start: start + 3600_000, organizerTenant: otherTenant }),
  ];
  writeFileSync(join(dir, 'records.ndjson'), records.map((r) => JSON.stringify(r)).join('\n'));
  const imported = await run('import', join(dir, 'records.ndjson'));
  expect(imported.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calltrove retention run', () => {
  const later = new Date(start + 2 * 3600_000 + 29 * DAY).toISOString();

  it('--dry-run counts what would go and changes nothing', async () => {
    const r = await run('retention', 'run', '--dry-run', '--now', later);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dry run');
    expect(r.out).toMatch(/cleared call_media_endpoints\.ip_address: \d+/);
    const text = JSON.stringify((await run('call', 'cli-1', '--format', 'json')).out);
    expect(plantedStrings([1]).some((p) => text.includes(p))).toBe(true);
  });

  it('clears every planted value from the database files and prints counts, never values', async () => {
    const r = await run('retention', 'run', '--now', later);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 record(s), 2 raw version(s) were scrubbed');
    expect(r.out).toContain('compaction: done');
    const planted = plantedStrings(users);
    expect(planted.filter((p) => r.out.includes(p)).length).toBe(0);
    expect(planted.filter((p) => fileBytes().includes(p)).length).toBe(0);
    const status = await run('retention', 'status');
    expect(status.out).toMatch(/scrubbed 2, raw 2, removed 0/);
  });

  it('rejects a --now that is not a time', async () => {
    const r = await run('retention', 'run', '--now', 'tomorrow-ish');
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad --now');
  });
});

describe('calltrove report residency', () => {
  it('lists the call another tenant organized with our users, and the data location', async () => {
    const r = await run('report', 'residency', '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.tenantId).toBe(ourTenant);
    expect(report.foreignOrganized.list.map((c: { id: string }) => c.id)).toEqual(['cli-2']);
    const text = await run('report', 'residency');
    expect(text.out).toContain(`organizer tenant ${otherTenant}: 1 call(s)`);
    expect(text.out).toContain('set privacy.dataLocation');
  });
});

describe('calltrove report quality --as-viewer', () => {
  it('folds groups of fewer than minGroupSize users into "other", and refuses per-user rows as the API does', async () => {
    const all = JSON.parse((await run('report', 'quality', '--by', 'user', '--format', 'json')).out);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const [total] = JSON.parse((await run('report', 'quality', '--format', 'json')).out);
    const folded = JSON.parse(
      (await run('report', 'quality', '--by', 'network-type', '--as-viewer', '--format', 'json')).out,
    );
    expect(folded).toHaveLength(1);
    expect(folded[0].networkType).toBe('other');
    expect(folded[0].streams).toBe(total.streams);
    const perUser = await run('report', 'quality', '--by', 'user', '--as-viewer');
    expect(perUser.code).not.toBe(0);
    expect(perUser.err).toContain('per-user quality rows need the investigator role');
    expect(perUser.out).toBe('');
  });
});

describe('calltrove audit and privacy keys', () => {
  it('lists the command line reads of individuals, then the catalog, then rotates the key (0600)', async () => {
    for (const args of [['calls'], ['export', 'participants'], ['export', 'buildings']])
      expect((await run(...args)).code).toBe(0);
    const audit = await run('audit', '--since', '30d', '--format', 'json');
    expect(audit.code).toBe(0);
    // `call cli-1` and `report quality --by user` above read individuals, `--as-viewer` folded them (no entry);
    // the building map is about no one.
    const entries = JSON.parse(audit.out) as Array<Record<string, string>>;
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.subject} ${e.route}`).sort()).toEqual([
      'cli call.read cli-1 calltrove call',
      'cli calls.list limit=100 calltrove calls',
      'cli export.table table=participants calltrove export',
      'cli quality.individuals by=user calltrove report quality',
    ]);
    const catalog = await run('privacy', 'catalog');
    expect(catalog.out).toContain(
      '| call_media_endpoints.mac_address | identifier | token | NULL | MAC Address |',
    );
    const rotated = await run('privacy', 'rotate-key');
    expect(rotated.out).toContain('pseudonym key k2 is current (2 key(s)');
    const key = join(dir, 'pseudonym.key');
    if (process.platform !== 'win32') expect(statSync(key).mode & 0o777).toBe(0o600);
  });
});
