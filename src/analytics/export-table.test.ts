// Exports page through whole tables on their keys (CSV through format/csv.ts, or NDJSON), and filter by time.
import { describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { storeFromDb } from '../store/store.ts';
import { testCallRecords, testUsers } from '../store/test-call-records.ts';
import { testDatabases } from '../store/test-stores.ts';
import { exportTable } from './export-table.ts';

async function collect(gen: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of gen) out.push(line);
  return out;
}

for (const database of await testDatabases()) {
  describe(`exportTable (${database.name})`, () => {
    it('streams every row once across pages, as CSV and NDJSON, and filters by call start', async () => {
      const { db, url, dispose } = await database.open();
      try {
        const store = await storeFromDb(db, url);
        const start = Date.UTC(2024, 4, 1);
        for (const json of testCallRecords({ seed: 4, calls: 25, users: testUsers(2, 10), start, days: 4 })) {
          const { rows } = rowsFromJson(json, { source: 't', receivedAt: start });
          await store.records.save({ json, rows, source: 't', receivedAt: start }, prepareAgain);
        }
        const total = Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM call_streams'))?.n);
        const csv = await collect(exportTable(db, 'streams', { format: 'csv', pageSize: 7 }));
        expect(csv[0]).toMatch(/^call_id,session_idx,segment_idx,media_idx,stream_idx,/);
        expect(csv).toHaveLength(total + 1);
        expect(new Set(csv).size).toBe(total + 1);
        const nd = await collect(exportTable(db, 'media-endpoints', { format: 'ndjson', pageSize: 5 }));
        const meTotal = Number(
          (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM call_media_endpoints'))?.n,
        );
        expect(nd).toHaveLength(meTotal);
        expect(JSON.parse(nd[0])).toHaveProperty('subnet');
        const facts = await collect(exportTable(db, 'rollup-network', { format: 'ndjson', pageSize: 3 }));
        expect(facts.length).toBeGreaterThan(3);
        const since = start + 2 * 86_400_000;
        const later = await collect(exportTable(db, 'calls', { format: 'ndjson', since }));
        const expected = Number(
          (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM calls WHERE start_time >= ?', [since]))?.n,
        );
        expect(later).toHaveLength(expected);
        // Times leave as ISO 8601 (UTC) unless asked for as stored; rollup days as dates.
        const stored = await db.get<{ id: string; start_time: number }>(
          'SELECT id, start_time FROM calls ORDER BY id LIMIT 1',
        );
        const [firstIso] = await collect(exportTable(db, 'calls', { format: 'ndjson', pageSize: 1 }));
        expect(JSON.parse(firstIso)).toMatchObject({
          id: stored?.id,
          start_time: new Date(Number(stored?.start_time)).toISOString(),
        });
        const [firstRaw] = await collect(exportTable(db, 'calls', { format: 'ndjson', times: 'epoch-ms' }));
        expect(Number(JSON.parse(firstRaw).start_time)).toBe(Number(stored?.start_time));
        expect(JSON.parse(facts[0]).day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const csvCalls = await collect(exportTable(db, 'calls', { format: 'csv' }));
        const startCol = csvCalls[0].trim().split(',').indexOf('start_time');
        expect(csvCalls[1].split(',')[startCol]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        const sessions = await collect(exportTable(db, 'sessions', { format: 'csv', until: since }));
        expect(sessions.length).toBeGreaterThan(1);
        await expect(collect(exportTable(db, 'nope', { format: 'csv' }))).rejects.toThrow(/unknown table/);
      } finally {
        await dispose();
      }
    });
  });
}
