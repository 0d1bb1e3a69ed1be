// The record repository's contract, run unchanged on SQLite and PostgreSQL: versions, raw history, atomicity.
import { describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { sample } from '../ingest/test-samples.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import type { Store } from './store.ts';
import { testDatabases, useTestStore } from './test-stores.ts';

const expanded = () => sample('v1.0_callRecord_get_expand_sessions_segments.response.json');

function input(json: Record<string, unknown>, tenantId?: string) {
  const { rows } = rowsFromJson(json, { source: 'test', tenantId, receivedAt: 1000 });
  return { json, rows, source: 'test', tenantId, receivedAt: 1000 };
}

function withVersion(
  json: Record<string, unknown>,
  version: number,
  patch?: (j: Record<string, unknown>) => void,
) {
  const copy = structuredClone(json);
  copy.version = version;
  patch?.(copy);
  return copy;
}

for (const database of await testDatabases()) {
  describe(`record repository contract (${database.name})`, () => {
    let store: Store;
    useTestStore(database, 'each', (s) => {
      store = s;
    });

    it('inserts, then reports the same version unchanged without writing', async () => {
      const r = store.records;
      expect(await r.save(input(expanded()), prepareAgain)).toBe('inserted');
      expect(await r.save(input(expanded()), prepareAgain)).toBe('unchanged');
      expect(await r.storedVersion('e523d2ed-2966-4b6b-925b-754a88034cc5')).toBe(1);
      expect(await r.rawVersions('e523d2ed-2966-4b6b-925b-754a88034cc5')).toHaveLength(1);
      const rows = await r.rows('e523d2ed-2966-4b6b-925b-754a88034cc5');
      expect(rows?.streams).toHaveLength(1);
      expect(rows?.streams[0].average_jitter_ms).toBe(16);
      expect(rows?.endpoints).toHaveLength(4);
    });

    it('replaces the rows with a newer version and keeps an older one in raw history only', async () => {
      const r = store.records;
      const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
      await r.save(input(expanded()), prepareAgain);
      const v3 = withVersion(expanded(), 3, (j) => {
        j.type = 'groupCall';
        (j.sessions as unknown[]).push(structuredClone((j.sessions as unknown[])[0]));
      });
      expect(await r.save(input(v3), prepareAgain)).toBe('updated');
      expect(await r.save(input(withVersion(expanded(), 2)), prepareAgain)).toBe('superseded');
      expect(await r.save(input(withVersion(expanded(), 2)), prepareAgain)).toBe('unchanged');
      expect(await r.storedVersion(id)).toBe(3);
      const rows = await r.rows(id);
      expect(rows?.call.type).toBe('groupCall');
      expect(rows?.sessions).toHaveLength(2);
      expect(rows?.streams).toHaveLength(2);
      expect((await r.rawVersions(id)).map((v) => v.version)).toEqual([1, 2, 3]);
      expect((await r.rawJson(id))?.version).toBe(3);
      expect((await r.rawJson(id, 2))?.version).toBe(2);
    });

    it('merges two payloads of the same version seen through different $expand, in any order', async () => {
      const r = store.records;
      const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
      expect(await r.save(input(sample('v1.0_callRecord_get_basic.response.json')), prepareAgain)).toBe(
        'inserted',
      );
      expect(
        await r.save(input(sample('v1.0_callRecord_get_expand_participants_v2.response.json')), prepareAgain),
      ).toBe('updated');
      expect(await r.save(input(expanded()), prepareAgain)).toBe('updated');
      for (const name of [
        'v1.0_callRecord_get_basic.response.json',
        'v1.0_callRecord_get_expand_participants_v2.response.json',
        'v1.0_callRecord_get_expand_sessions_segments.response.json',
      ])
        expect(await r.save(input(sample(name)), prepareAgain)).toBe('unchanged');
      const rows = await r.rows(id);
      expect(rows?.participants).toHaveLength(2);
      expect(rows?.streams).toHaveLength(1);
    });

    it('takes a tenant given later as the record view', async () => {
      const r = store.records;
      await r.save(input(expanded()), prepareAgain);
      expect(await r.save(input(expanded(), 'dc368399-474c-4d40-900c-6265431fd81f'), prepareAgain)).toBe(
        'updated',
      );
      expect((await r.rows('e523d2ed-2966-4b6b-925b-754a88034cc5'))?.call.view).toBe('organizer');
    });

    it('leaves no half-written record when a write fails inside the transaction', async () => {
      const r = store.records;
      await r.save(input(expanded()), prepareAgain);
      const bad = input(withVersion(expanded(), 5));
      // A second stream row with the same key violates the primary key after the old rows were deleted.
      bad.rows.streams.push({ ...bad.rows.streams[0] });
      await expect(r.save(bad, prepareAgain)).rejects.toThrow();
      expect(await r.storedVersion('e523d2ed-2966-4b6b-925b-754a88034cc5')).toBe(1);
      expect((await r.rows('e523d2ed-2966-4b6b-925b-754a88034cc5'))?.streams).toHaveLength(1);
      expect(await r.rawVersions('e523d2ed-2966-4b6b-925b-754a88034cc5')).toHaveLength(1);
    });

    it('rebuilds every record from raw history on reprocess, and deletes a record entirely', async () => {
      const r = store.records;
      const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
      await r.save(input(expanded()), prepareAgain);
      await r.save(input(withVersion(expanded(), 2)), prepareAgain);
      await store.db.run('DELETE FROM call_streams');
      await store.db.run('UPDATE calls SET type = ?', ['tampered']);
      expect(await r.reprocess(prepareAgain)).toEqual({ records: 1, failed: [] });
      const rows = await r.rows(id);
      expect(rows?.call).toMatchObject({ version: 2, type: 'peerToPeer' });
      expect(rows?.streams).toHaveLength(1);
      expect(await r.delete(id)).toBe(true);
      expect(await r.rows(id)).toBeUndefined();
      expect(await r.rawVersions(id)).toEqual([]);
      expect(await r.delete(id)).toBe(false);
    });

    it('saves a batch in one transaction, in order, and writes nothing of a batch that fails', async () => {
      const r = store.records;
      const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
      const outcomes = await r.saveMany(
        [
          input(expanded()),
          input(withVersion(expanded(), 3)),
          input(withVersion(expanded(), 2)),
          input(expanded()),
          input(
            withVersion(expanded(), 1, (j) => {
              j.id = 'other';
            }),
          ),
        ],
        { prepare: prepareAgain },
      );
      expect(outcomes).toEqual(['inserted', 'updated', 'superseded', 'unchanged', 'inserted']);
      expect(await r.storedVersion(id)).toBe(3);
      const bad = input(
        withVersion(expanded(), 9, (j) => {
          j.id = 'third';
        }),
      );
      bad.rows.streams.push({ ...bad.rows.streams[0] });
      const good = input(withVersion(expanded(), 4));
      await expect(r.saveMany([good, bad], { prepare: prepareAgain })).rejects.toThrow();
      expect(await r.storedVersion(id)).toBe(3);
      expect(await r.storedVersion('third')).toBeUndefined();
      expect(await r.rawVersions('third')).toEqual([]);
    });

    it('keeps the tenant view of a record when a newer version arrives without a tenant', async () => {
      const r = store.records;
      const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
      await r.save(input(expanded(), 'another-tenant'), prepareAgain);
      expect(await r.save(input(withVersion(expanded(), 2)), prepareAgain)).toBe('updated');
      expect((await r.rows(id))?.call).toMatchObject({
        view: 'participant',
        view_tenant_id: 'another-tenant',
      });
      expect((await r.rawVersions(id)).map((v) => v.tenantId)).toEqual(['another-tenant', 'another-tenant']);
    });

    it('saves many records concurrently without losing or mixing any', async () => {
      const r = store.records;
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          r.save(
            input(
              withVersion(expanded(), 1, (j) => {
                j.id = `call-${i}`;
              }),
            ),
            prepareAgain,
          ),
        ),
      );
      expect(outcomes.every((o) => o === 'inserted')).toBe(true);
      const count = await store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM call_streams');
      expect(Number(count?.n)).toBe(12);
    });
  });
}
