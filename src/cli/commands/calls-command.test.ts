// `calltrove calls` takes the API's filters (--user, --poor, --media, --building, --q, --since/--until checked as
// report checks them), and `report missing-subnets` answers as the API does, in-process through main() against a
// temporary database of group and peer-to-peer calls.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSummary, JsonObject } from '../../analytics/call-views.ts';
import { testBuildingsCsv, testCallRecords, testUsers } from '../../store/test-call-records.ts';
import { runCli } from '../test-cli.ts';

let dir: string;
let db: string;
const users = testUsers(6, 20);
const run = (...args: string[]) => runCli(['--db', db, ...args], {});
const list = async (...args: string[]) => {
  const r = await run('calls', '--format', 'json', '--limit', '1000', '--since', '30d', ...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as CallSummary[];
};

/** Every media of a call's detail (`calltrove call --format json`). */
async function media(id: string): Promise<JsonObject[]> {
  const d = JSON.parse((await run('call', id, '--format', 'json')).out) as { sessions: JsonObject[] };
  return d.sessions.flatMap((s) =>
    (s.segments as JsonObject[]).flatMap((g) => (g.media as JsonObject[] | undefined) ?? []),
  );
}
const buildingsOf = async (id: string) =>
  (await media(id)).flatMap((m) =>
    [m.callerNetwork, m.calleeNetwork].map((n) => (n as JsonObject | null)?.building ?? null),
  );

describe('calls command filters', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calltrove-cli-calls-'));
    db = join(dir, 'calltrove.db');
    const records = testCallRecords({
      seed: 5,
      calls: 60,
      users,
      start: Date.now() - 4 * 86_400_000,
      days: 3,
    });
    writeFileSync(join(dir, 'calls.json'), JSON.stringify({ value: records }));
    expect((await run('import', join(dir, 'calls.json'))).code).toBe(0);
    writeFileSync(join(dir, 'buildings.csv'), testBuildingsCsv);
    expect((await run('buildings', 'import', join(dir, 'buildings.csv'))).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--user lists the user's calls with their own streams; those with own streams are the user's calls measure", async () => {
    const everything = await list();
    const u = users[3].id;
    const mine = await list('--user', u);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(everything.length);
    for (const c of mine) expect(c.ownStreamCount).toBeGreaterThanOrEqual(0);
    const withOwn = mine.filter((c) => (c.ownStreamCount ?? 0) > 0);
    expect(withOwn.length).toBeGreaterThan(0);
    // The same count as the user's "calls" measure (whole UTC days: --since 30d widens to the day).
    const report = await run(
      'report',
      'quality',
      '--by',
      'user',
      '--filter',
      `user=${u}`,
      '--measures',
      'calls',
      '--since',
      '30d',
      '--format',
      'json',
    );
    expect(JSON.parse(report.out)).toEqual([{ user: u, calls: withOwn.length }]);
    const poor = await list('--user', u, '--poor');
    expect(poor.every((c) => (c.ownPoorStreamCount ?? 0) > 0)).toBe(true);
    expect(poor.length).toBe(mine.filter((c) => (c.ownPoorStreamCount ?? 0) > 0).length);
    expect(poor.length).toBeGreaterThan(0);
    // Without --user the own counts are not claimed.
    expect(everything.every((c) => c.ownStreamCount === null)).toBe(true);
    const table = await run('calls', '--user', u, '--since', '30d');
    expect(table.out).toMatch(/own streams\s+own poor/);
    expect(table.out).toMatch(
      new RegExp(`1–${mine.length} of ${mine.length} call\\(s\\); streams and poor are the user's own`),
    );
  });

  it('--building, --media and --poor narrow the list to calls that have such streams', async () => {
    const alpha = await list('--building', 'Alpha');
    expect(alpha.length).toBeGreaterThan(0);
    for (const c of alpha.slice(0, 5)) expect(await buildingsOf(c.id)).toContain('Alpha');
    const everything = await list();
    expect(alpha.length).toBeLessThan(everything.length);
    const video = await list('--media', 'video');
    expect(video.length).toBeGreaterThan(0);
    for (const c of video.slice(0, 5))
      expect(
        (await media(c.id)).some((m) => (m.streams as JsonObject[]).some((s) => s.mediaType === 'video')),
      ).toBe(true);
    const poor = await list('--poor');
    expect(poor.map((c) => c.id)).toEqual(everything.filter((c) => c.poorStreamCount > 0).map((c) => c.id));
  });

  it('refuses bad values as report does, saying what to write', async () => {
    const bad = await run('calls', '--since', 'yesterday');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/bad --since "yesterday"/);
    expect(bad.err).toMatch(/7d, 12h/);
    const reversed = await run('calls', '--since', '2025-03-10', '--until', '2025-03-01');
    expect(reversed.code).not.toBe(0);
    expect(reversed.err).toMatch(/--since must be before --until/);
    const media = await run('calls', '--media', 'fax');
    expect(media.err).toMatch(/unknown media type "fax".*audio, video, vbss, other/s);
    expect((await run('calls', '--limit', '-1')).err).toMatch(/bad --limit "-1"/);
  });

  it('report missing-subnets: the rows of the API, corporate gaps apart from the rest, bad input refused', async () => {
    const json = await run('report', 'missing-subnets', '--since', '30d', '--format', 'json');
    expect(json.code, json.err).toBe(0);
    const rows = JSON.parse(json.out) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0])).toEqual([
      'subnet',
      'kind',
      'insideBy',
      'suggestedBuilding',
      'dnsSuffix',
      'streams',
      'classifiedStreams',
      'poorPercent',
    ]);
    for (const r of rows) expect(Number(r.streams)).toBeGreaterThanOrEqual(10);
    expect(rows.map((r) => r.subnet)).toContain('192.168.1.0');
    const table = await run('report', 'missing-subnets', '--since', '30d');
    const corporate = rows.filter((r) => r.kind === 'corporate').length;
    expect(table.out).toContain(`${corporate} corporate gap(s), ${rows.length - corporate} set apart`);
    expect(table.out).toMatch(/Set apart \(carrierNat/);
    expect((await run('report', 'missing-subnets', '--min-streams', 'ten')).err).toMatch(
      /bad --min-streams "ten"/,
    );
  });
});
