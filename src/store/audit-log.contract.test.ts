// The audit log repository's contract, run unchanged on SQLite and PostgreSQL: append, then find by time, actor, subject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-log.ts';
import { type Store, storeFromDb } from './store.ts';
import { testDatabases } from './test-stores.ts';

const t0 = Date.UTC(2026, 0, 5, 9);
const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: t0,
  actor: 'cli',
  role: 'investigator',
  via: 'cli',
  action: 'call.read',
  subjectKind: 'call',
  subject: 'c1',
  route: 'calltrove call',
  reason: null,
  rowsReturned: null,
  ...over,
});

for (const database of await testDatabases()) {
  describe(`audit log repository contract (${database.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      store = await storeFromDb(opened.db, opened.url);
      dispose = opened.dispose;
      await store.audit.record(entry({}));
      await store.audit.record(
        entry({ at: t0 + 1, actor: 'token:abc', subject: 'pz.u1', subjectKind: 'user' }),
      );
      await store.audit.record(
        entry({ at: t0 + 2, action: 'calls.list', subject: 'limit=10', rowsReturned: 7 }),
      );
    });
    afterAll(() => dispose());

    it('lists newest first, every field as written', async () => {
      const all = await store.audit.list();
      expect(all.map((e) => e.at)).toEqual([t0 + 2, t0 + 1, t0]);
      expect(all[0]).toMatchObject({
        action: 'calls.list',
        subject: 'limit=10',
        rowsReturned: 7,
        reason: null,
      });
      expect(typeof all[0].id).toBe('number');
    });

    it('filters by time window, actor and subjects, and limits', async () => {
      expect((await store.audit.list({ since: t0 + 1 })).map((e) => e.at)).toEqual([t0 + 2, t0 + 1]);
      expect((await store.audit.list({ until: t0 + 1 })).map((e) => e.at)).toEqual([t0]);
      expect((await store.audit.list({ actor: 'token:abc' })).map((e) => e.subject)).toEqual(['pz.u1']);
      expect((await store.audit.list({ subjects: ['c1', 'pz.u1'] })).map((e) => e.at)).toEqual([t0 + 1, t0]);
      expect(await store.audit.list({ subjects: [] })).toEqual([]);
      expect(await store.audit.list({ limit: 1 })).toHaveLength(1);
    });
  });
}
