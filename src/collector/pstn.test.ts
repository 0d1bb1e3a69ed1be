// PSTN and Direct Routing pulls against the twin: Graph's date-range rules, every page, upserts, resumable by day.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { readCollectorState } from '../store/collector-state.ts';
import { countPstnLogs } from '../store/pstn-logs.ts';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { createTwin } from '../twin/twin.ts';
import { startCollector } from './collector.ts';
import { pstnWindows, syncPstnLogs } from './pstn.ts';

const day = 86_400_000;

describe('pstnWindows', () => {
  it('covers from the first day through today in windows of at most 89 days that meet edge to edge', () => {
    const now = Date.UTC(2026, 5, 30, 13, 5);
    const w = pstnWindows(now - 200 * day, now);
    expect(w.length).toBe(3);
    expect(w[0].from).toBe(Date.UTC(2025, 11, 12));
    for (const x of w) expect(x.to - x.from).toBeLessThanOrEqual(89 * day);
    for (let i = 1; i < w.length; i++) expect(w[i].from).toBe(w[i - 1].to);
    expect(w[w.length - 1].to).toBe(Date.UTC(2026, 6, 1));
  });
});

for (const database of await testDatabases())
  describe(`PSTN and Direct Routing logs from the twin on ${database.name}`, () => {
    it('pulls every row once, and again only what is new', async () => {
      const opened = await database.open();
      const store = await storeFromDb(opened.db, opened.url);
      const clock = new ManualClock(Date.UTC(2026, 0, 14, 12));
      const twin = createTwin({ seed: 9, users: 120, days: 6, clock });
      const config = loadConfig({
        overrides: {
          ...twin.credentials,
          graphUrl: 'https://twin.local/v1.0',
          authorityUrl: 'https://twin.local',
        },
      });
      const fetch = (url: string, init: RequestInit) => twin.fetch(new Request(url, init));
      const collector = await startCollector({ config, store, clock, fetch, mode: 'once' });
      try {
        const first = await syncPstnLogs(collector.ctx, clock.now() - 7 * day);
        const counts = await countPstnLogs(store.db);
        expect(counts.pstn).toBeGreaterThan(0);
        expect(counts.directRouting).toBeGreaterThan(0);
        expect(counts).toEqual({ pstn: first.pstn, directRouting: first.directRouting });
        // What Graph itself says for the whole period, straight from the twin.
        const direct = async (fn: string) => {
          const token = await collector.tokens.getToken();
          const from = new Date(clock.now() - 7 * day).toISOString().slice(0, 10);
          const to = new Date(clock.now() + day).toISOString().slice(0, 10);
          const res = await fetch(
            `https://twin.local/v1.0/communications/callRecords/${fn}(fromDateTime=${from},toDateTime=${to})`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          const body = (await res.json()) as { '@odata.count': number };
          if (res.status !== 200) throw new Error(JSON.stringify(body));
          return body['@odata.count'];
        };
        expect(counts.pstn).toBe(await direct('getPstnCalls'));
        expect(counts.directRouting).toBe(await direct('getDirectRoutingCalls'));
        expect((await readCollectorState(store.db)).pstnSyncedThrough).toBe('2026-01-13');

        await clock.advance(day);
        const again = await syncPstnLogs(collector.ctx, clock.now() - 7 * day);
        const after = await countPstnLogs(store.db);
        // Only the last synced day and the new one are read again; rows upsert by id, never twice.
        expect(again.pstn).toBeLessThan(first.pstn);
        expect(after.pstn).toBe(await direct('getPstnCalls'));
        expect(after.directRouting).toBe(await direct('getDirectRoutingCalls'));
      } finally {
        await collector.stop();
        twin.stop();
        await opened.dispose();
      }
    });
  });
