// Time partitions: rows land in month partitions made on demand, strays are moved out of the default, and
// retention drops only months whose every call has ended before the cutoff. On SQLite every step is a no-op.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestRecord } from '../ingest/ingest-record.ts';
import type { Db } from './db.ts';
import {
  describePartitions,
  dropPartitionsBefore,
  ensurePartitionsFor,
  maintainPartitions,
} from './partitions.ts';
import { PostgresDb } from './postgres/postgres-db.ts';
import { type Store, storeFromDb } from './store.ts';
import { testCallRecords, testUsers } from './test-call-records.ts';
import { testDatabases } from './test-stores.ts';

const jan = Date.UTC(2024, 0, 1);
const feb = Date.UTC(2024, 1, 1);
const mar = Date.UTC(2024, 2, 1);
const HOUR = 3_600_000;

/** One call record starting at `start` and lasting `ms`. */
function call(id: string, start: number, ms: number, seed: number): Record<string, unknown> {
  // days: 0 puts the call's start exactly at `start`.
  const [json] = testCallRecords({ seed, calls: 1, users: testUsers(seed, 4), start, days: 0 });
  json.id = id;
  json.endDateTime = new Date(start + ms).toISOString();
  return json;
}

async function count(db: Db, table: string, where = '1 = 1'): Promise<number> {
  return Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))?.n);
}

for (const database of await testDatabases()) {
  describe(`time partitions (${database.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const pg = database.name === 'postgres';
    beforeEach(async () => {
      const opened = await database.open();
      store = await storeFromDb(opened.db, opened.url);
      dispose = opened.dispose;
    });
    afterEach(async () => dispose());

    const save = (json: Record<string, unknown>) =>
      ingestRecord(store, json, {
        source: 'test',
        receivedAt: json.endDateTime ? Date.parse(String(json.endDateTime)) : 0,
      });

    it('writes each call into the month partition of its start, made on demand', async () => {
      await save(call('a', jan + 5 * 24 * HOUR, HOUR, 1));
      await save(call('b', feb + 3 * HOUR, HOUR, 2));
      const streams = await count(store.db, 'call_streams');
      expect(streams).toBeGreaterThan(0);
      const parts = await describePartitions(store.db);
      if (!pg) {
        expect(parts).toEqual({});
        return;
      }
      for (const table of ['call_streams', 'stream_facts']) {
        const names = parts[table].map((p) => p.name);
        expect(names).toEqual(
          expect.arrayContaining([`${table}_m202401`, `${table}_m202402`, `${table}_default`]),
        );
        expect(await count(store.db, `${table}_default`)).toBe(0);
      }
      expect(
        (await count(store.db, 'call_streams_m202401')) + (await count(store.db, 'call_streams_m202402')),
      ).toBe(streams);
    });

    it('moves rows that reached the default partition into their month, reads unchanged', async () => {
      await save(call('a', jan + 5 * 24 * HOUR, HOUR, 1));
      const before = await store.records.rows('a');
      if (pg) {
        // As if written by a process that could not make the partition: the month is gone, rows sit in default.
        await store.db.exec('ALTER TABLE call_streams DETACH PARTITION call_streams_m202401');
        await store.db.exec('INSERT INTO call_streams SELECT * FROM call_streams_m202401');
        await store.db.exec('DROP TABLE call_streams_m202401');
        expect(await count(store.db, 'call_streams_default')).toBe(before?.streams.length);
      }
      const m = await maintainPartitions(store.db, mar);
      if (pg) {
        expect(m.moved).toBe(before?.streams.length);
        expect(m.created).toContain('call_streams:2024-01');
        expect(m.created).toContain('call_streams:2024-03');
        expect(m.created).toContain('stream_facts:2024-04');
        expect(await count(store.db, 'call_streams_default')).toBe(0);
      } else expect(m).toEqual({ created: [], moved: 0 });
      expect(await store.records.rows('a')).toEqual(before);
      // Maintenance again finds nothing to do.
      expect((await maintainPartitions(store.db, mar)).created).toEqual([]);
    });

    it('keeps a row without a call start in the default partition', async () => {
      // Graph always sends startDateTime, but the column allows NULL and such a row must still have a home.
      await store.db.run(
        `INSERT INTO call_streams (call_id, session_idx, segment_idx, media_idx, stream_idx, call_start_time,
           media_type, quality, poor_reasons) VALUES ('x', 0, 0, 0, 0, NULL, 'audio', 'good', '')`,
      );
      await maintainPartitions(store.db, mar);
      expect(await count(store.db, 'call_streams', "call_id = 'x'")).toBe(1);
      if (pg) expect(await count(store.db, 'call_streams_default')).toBe(1);
    });

    it('drops only months whose every call ended before the cutoff', async () => {
      await save(call('jan-early', jan + 2 * 24 * HOUR, HOUR, 1));
      // Starts in January, ends in February: January may go only once this call is past the cutoff too.
      await save(call('jan-late', feb - HOUR, 2 * HOUR, 2));
      await save(call('feb', feb + 2 * 24 * HOUR, HOUR, 3));
      const janStreams =
        (await store.records.rows('jan-early'))!.streams.length +
        (await store.records.rows('jan-late'))!.streams.length;

      const early = await dropPartitionsBefore(store.db, feb + HOUR / 2);
      expect(early.dropped).toEqual([]);

      const all = await count(store.db, 'call_streams');
      const dry = await dropPartitionsBefore(store.db, feb + 2 * HOUR, { dryRun: true });
      expect(await count(store.db, 'call_streams')).toBe(all);
      const done = await dropPartitionsBefore(store.db, feb + 2 * HOUR);
      expect(done).toEqual(dry);
      if (!pg) {
        expect(done).toEqual({ dropped: [], removed: {} });
        return;
      }
      expect(done.dropped.map((d) => d.partition).sort()).toEqual([
        'call_streams_m202401',
        'stream_facts_m202401',
      ]);
      expect(done.removed.call_streams).toBe(janStreams);
      expect(await count(store.db, 'call_streams')).toBe(all - janStreams);
      expect((await store.records.rows('feb'))?.streams.length).toBeGreaterThan(0);
      // February is not over before the cutoff: kept, whatever its calls.
      expect((await describePartitions(store.db)).call_streams.map((p) => p.name)).toContain(
        'call_streams_m202402',
      );
      // A late copy of an old record makes its month again.
      await store.records.delete('jan-early');
      await save(call('jan-early', jan + 2 * 24 * HOUR, HOUR, 1));
      expect(await count(store.db, 'call_streams_default')).toBe(0);
      expect(await count(store.db, 'call_streams_m202401')).toBeGreaterThan(0);
    });

    it('lets several connections make the same month at once', async () => {
      const others: Db[] = pg ? [new PostgresDb(store.url), new PostgresDb(store.url)] : [];
      try {
        const months = [Date.UTC(2023, 5, 3), Date.UTC(2023, 6, 9), Date.UTC(2023, 7, 1)];
        await Promise.all([store.db, ...others].map((db) => ensurePartitionsFor(db, months, () => 0)));
        if (pg) {
          const names = (await describePartitions(store.db)).call_streams.map((p) => p.name);
          expect(names).toEqual(
            expect.arrayContaining(['call_streams_m202306', 'call_streams_m202307', 'call_streams_m202308']),
          );
        }
      } finally {
        await Promise.all(others.map((db) => db.close()));
      }
    });
  });
}
