// The periods test: one period gives the same calls and streams on every page's API answer, on /api/v1/quality
// and in the CLI reports, for a day-aligned period and for ones that are not ("the last 24 hours" at 13:37).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackSummary } from '../analytics/get-feedback-summary.ts';
import type { Overview } from '../analytics/get-overview.ts';
import type { TargetResult } from '../analytics/get-quality-targets.ts';
import type { Reliability } from '../analytics/get-reliability.ts';
import type { UserSummary } from '../analytics/list-users.ts';
import { isoHour, resolvePeriod } from '../analytics/period.ts';
import type { QualityRow } from '../analytics/quality-query.ts';
import { runCli } from '../cli/test-cli.ts';
import { filledTestStore, type TestStore, testApp, testNow } from './test-app.ts';

/** 13:37 on the day the synthetic calls end: "the last 24 hours" starts at 14:00 the day before. */
const now = testNow + 97 * 60_000;
const H = 3_600_000;

let t: TestStore;
beforeAll(async () => {
  t = await filledTestStore({ calls: 160, days: 4 });
});
afterAll(async () => {
  await t.dispose();
});

/** Counted straight from the stored calls, by their start time: what every answer must agree with. */
async function truth(since: number, until: number) {
  const db = t.store.db;
  const streams = await db.get<{ n: number; calls: number; users: number }>(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT f.call_id) AS calls, COUNT(DISTINCT CASE WHEN f.user_id <> '' THEN f.user_id END) AS users
     FROM stream_facts f JOIN calls c ON c.id = f.call_id WHERE c.start_time >= ? AND c.start_time < ?`,
    [since, until],
  );
  const audio = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM stream_facts f JOIN calls c ON c.id = f.call_id
     WHERE c.start_time >= ? AND c.start_time < ? AND f.media_type = 'audio'`,
    [since, until],
  );
  const userStreams = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM stream_facts f JOIN calls c ON c.id = f.call_id
     WHERE c.start_time >= ? AND c.start_time < ? AND f.user_id <> ''`,
    [since, until],
  );
  const listed = await db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM calls WHERE start_time >= ? AND start_time < ?',
    [since, until],
  );
  const rated = await db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM feedback_facts WHERE call_id IN (SELECT id FROM calls WHERE start_time >= ? AND start_time < ?)',
    [since, until],
  );
  return {
    calls: Number(streams?.calls),
    streams: Number(streams?.n),
    users: Number(streams?.users),
    audioStreams: Number(audio?.n),
    userStreams: Number(userStreams?.n),
    listedCalls: Number(listed?.n),
    responses: Number(rated?.n),
  };
}

const periods: { name: string; query: string; since: number; until: number }[] = [
  { name: 'the last 24 hours at 13:37', query: 'since=24h', since: testNow - 22 * H, until: testNow + 2 * H },
  {
    name: 'a custom period of odd hours',
    query: 'since=2025-03-11T05:00Z&until=2025-03-13T19:00Z',
    since: Date.UTC(2025, 2, 11, 5),
    until: Date.UTC(2025, 2, 13, 19),
  },
  {
    name: 'whole days',
    query: 'since=2025-03-11&until=2025-03-13',
    since: Date.UTC(2025, 2, 11),
    until: Date.UTC(2025, 2, 13),
  },
];

describe('one period everywhere', () => {
  it('resolves "the last 24 hours" at 13:37 to 14:00 yesterday .. 14:00 today', () => {
    const p = resolvePeriod({ since: '24h' }, now);
    expect([p.since, p.until]).toEqual([testNow - 22 * H, testNow + 2 * H]);
    expect(resolvePeriod({ since: '2025-03-11T05:20Z', until: '2025-03-12T07:10Z' }, now)).toMatchObject({
      since: Date.UTC(2025, 2, 11, 5),
      until: Date.UTC(2025, 2, 12, 8),
    });
  });

  for (const p of periods)
    it(`gives the same calls and streams on every page, API answer and CLI report: ${p.name}`, async () => {
      const want = await truth(p.since, p.until);
      expect(want.calls).toBeGreaterThan(5);
      const { app } = testApp(t.store, { now });
      const get = async <T>(path: string): Promise<T> => {
        const sep = path.includes('?') ? '&' : '?';
        const res = await app.request(`/api/v1${path}${sep}${p.query}`);
        expect(res.status, path).toBe(200);
        return (await res.json()) as T;
      };
      const sum = (rows: QualityRow[] | UserSummary[], k: string) =>
        rows.reduce((a, r) => a + Number((r as Record<string, unknown>)[k] ?? 0), 0);

      const overview = await get<Overview>('/overview');
      expect([overview.totals.calls, overview.totals.streams], 'overview').toEqual([
        want.calls,
        want.streams,
      ]);
      expect(sum(overview.byDay, 'streams'), 'overview by day').toBe(want.streams);

      const quality = await get<{ rows: QualityRow[] }>('/quality?measures=calls,streams,users');
      expect(quality.rows[0], '/quality').toMatchObject({
        calls: want.calls,
        streams: want.streams,
        users: want.users,
      });
      const byHour = await get<{ rows: QualityRow[] }>('/quality?by=hour&measures=streams');
      expect(sum(byHour.rows, 'streams'), '/quality by hour').toBe(want.streams);

      // Locations: its building and subnet tables.
      for (const by of ['building', 'subnet', 'network-type'])
        expect(sum((await get<{ rows: QualityRow[] }>(`/quality?by=${by}`)).rows, 'streams'), by).toBe(
          want.streams,
        );

      const reliability = await get<Reliability>('/reliability');
      // Reliability is audio unless told otherwise.
      expect(reliability.totals.streams, 'reliability').toBe(want.audioStreams);
      expect(sum(reliability.byDay, 'streams'), 'reliability by day').toBe(want.audioStreams);

      const qer = await get<{ targets: TargetResult[] }>('/qer-targets');
      // QER targets are audio streams (CQD's QER).
      expect(qer.targets.find((x) => x.id === 'overall')?.streams, 'qer').toBe(want.audioStreams);

      const feedback = await get<FeedbackSummary>('/feedback');
      expect(feedback.responses, 'feedback').toBe(want.responses);

      const users = await get<{ users: UserSummary[]; total: number }>('/users?limit=1000');
      expect(users.total, 'users').toBe(want.users);
      expect(sum(users.users, 'streams'), "users' own streams").toBe(want.userStreams);

      const calls = await get<{ total: number }>('/calls?limit=1');
      expect(calls.total, 'calls').toBe(want.listedCalls);

      // The CLI, given the same period as absolute hours.
      const range = ['--since', isoHour(p.since), '--until', isoHour(p.until)];
      const report = await runCli([
        '--db',
        t.path,
        'report',
        'quality',
        '--measures',
        'calls,streams',
        ...range,
        '--format',
        'json',
      ]);
      expect(report.code, report.err).toBe(0);
      expect(JSON.parse(report.out)[0], 'report quality').toMatchObject({
        calls: want.calls,
        streams: want.streams,
      });
      const byBuilding = await runCli([
        '--db',
        t.path,
        'report',
        'quality',
        '--by',
        'building',
        ...range,
        '--format',
        'json',
      ]);
      expect(sum(JSON.parse(byBuilding.out) as QualityRow[], 'streams'), 'report by building').toBe(
        want.streams,
      );
      // The same whole days read in a zone: midnight in Chicago is 05:00 UTC on 11 March 2025 (CDT since the 9th).
      if (p.name === 'whole days') {
        const chicago = await runCli([
          '--db',
          t.path,
          'report',
          'quality',
          '--measures',
          'streams',
          '--since',
          '2025-03-11',
          '--until',
          '2025-03-13',
          '--tz',
          'America/Chicago',
          '--format',
          'json',
        ]);
        expect(JSON.parse(chicago.out)[0].streams).toBe(
          (await truth(p.since + 5 * H, p.until + 5 * H)).streams,
        );
      }
      const listed = await runCli([
        '--db',
        t.path,
        'calls',
        ...range,
        '--limit',
        '10000',
        '--format',
        'json',
      ]);
      expect((JSON.parse(listed.out) as unknown[]).length, 'calls command').toBe(want.listedCalls);
    });
});
