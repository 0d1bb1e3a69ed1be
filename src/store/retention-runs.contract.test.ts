// The retention run log's contract, run unchanged on SQLite and PostgreSQL: start, finish, newest first.
import { describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

for (const database of await testDatabases()) {
  describe(`retention run log contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'all', (s) => {
      store = s;
    });

    it('keeps each run, unfinished until finished, newest first', async () => {
      expect(await store.retentionRuns.latest(5)).toEqual([]);
      const first = await store.retentionRuns.start(1000, 900);
      await store.retentionRuns.finish(first, 1500, '{"recordsScrubbed":2}');
      const second = await store.retentionRuns.start(2000, 1900);
      expect(second).not.toBe(first);
      expect(await store.retentionRuns.latest(5)).toEqual([
        { startedAt: 2000, asOf: 1900, finishedAt: null, summary: null },
        { startedAt: 1000, asOf: 900, finishedAt: 1500, summary: '{"recordsScrubbed":2}' },
      ]);
      expect(await store.retentionRuns.latest(1)).toHaveLength(1);
    });
  });
}
