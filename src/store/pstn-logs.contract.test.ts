// The PSTN and Direct Routing log repository's contract, run unchanged on SQLite and PostgreSQL: upsert by row id
// from Microsoft's samples, unknown properties kept, Graph's "no time" read as none.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DirectRoutingLogRow, PstnCallLogRow } from '../graph/types.ts';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

const t0 = Date.UTC(2026, 0, 5, 8);
const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../collector/testdata/${name}`, import.meta.url), 'utf8')) as {
    value: unknown[];
  };

for (const database of await testDatabases()) {
  describe(`PSTN log repository contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });

    it('upserts PSTN and Direct Routing rows by id, from Microsoft samples', async () => {
      const pstn = sample('v1.0_getPstnCalls.response.json').value as PstnCallLogRow[];
      const dr = sample('v1.0_getDirectRoutingCalls.response.json').value as DirectRoutingLogRow[];
      expect(await store.pstnLogs.upsertPstn(pstn, t0)).toBe(pstn.length);
      await store.pstnLogs.upsertPstn(
        [...pstn, { ...pstn[0], duration: 220, futureField: 'x' } as PstnCallLogRow],
        t0,
      );
      await store.pstnLogs.upsertDirectRouting(dr, t0);
      expect(await store.pstnLogs.counts()).toEqual({ pstn: 1, directRouting: 1 });
      const row = await store.reads.get<{ duration: number; extra: string; start_at: number }>(
        'SELECT duration, extra, start_at FROM pstn_calls',
      );
      expect(row).toEqual({
        duration: 220,
        extra: '{"futureField":"x"}',
        start_at: Date.parse(pstn[0].startDateTime ?? ''),
      });
      const drRow = await store.reads.get<{ failure_at: number | null; successful_call: number }>(
        'SELECT failure_at, successful_call FROM direct_routing_calls',
      );
      expect(drRow).toEqual({ failure_at: null, successful_call: 1 });
    });
  });
}
