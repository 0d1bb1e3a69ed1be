// The residency report on both databases: calls organized elsewhere with our users, and foreign users held here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { otherTenant, ourTenant, plantedRecord } from '../privacy/test-records.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { getResidency } from './get-residency.ts';

const t0 = Date.UTC(2026, 0, 5, 9);

for (const database of await testDatabases()) {
  describe(`residency report on ${database.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      dispose = opened.dispose;
      store = await storeFromDb(opened.db, opened.url);
      const save = (json: Record<string, unknown>) =>
        ingestRecord(store, json, { source: 'test', tenantId: ourTenant, receivedAt: t0 });
      // Two meetings another organization organized, our users in them: we hold a participant view only.
      for (const i of [0, 1])
        await save(
          plantedRecord({
            id: `theirs-${i}`,
            users: [1, 2, 3],
            start: t0 + i * 3600_000,
            organizerTenant: otherTenant,
          }),
        );
      // One of ours with a guest from the other organization, and one among ourselves.
      const hosted = plantedRecord({ id: 'ours-with-guest', users: [4, 5], start: t0 + 7200_000 });
      (hosted.participants_v2 as { identity: { user: { tenantId: string } } }[])[1].identity.user.tenantId =
        otherTenant;
      await save(hosted);
      await save(plantedRecord({ id: 'ours', users: [4, 6], start: t0 + 9000_000 }));
    });
    afterAll(() => dispose());

    it("says whose view each record is, and lists the calls another tenant holds our users' telemetry of", async () => {
      const r = await getResidency(store.reads, { tenantId: ourTenant, dataLocation: 'EU' });
      expect(r.dataLocation).toBe('EU');
      expect(r.views).toEqual({ organizer: 2, participant: 2, unknown: 0 });
      expect(r.foreignOrganized.calls).toBe(2);
      expect(r.foreignOrganized.list.map((c) => c.id)).toEqual(['theirs-1', 'theirs-0']);
      expect(r.foreignOrganized.list[0]).toMatchObject({
        organizerTenantId: otherTenant,
        view: 'participant',
      });
      expect(r.foreignOrganized.list[0].ourParticipants).toBeGreaterThan(0);
      expect(r.foreignOrganized.byOrganizerTenant).toEqual([
        {
          tenantId: otherTenant,
          calls: 2,
          participants: r.foreignOrganized.list.reduce((a, c) => a + c.ourParticipants, 0),
        },
      ]);
      expect(r.hostedForeign).toEqual({
        calls: 1,
        byParticipantTenant: [{ tenantId: otherTenant, calls: 1, participants: 1 }],
      });
    });

    it("uses each record's fetching tenant when no tenant is configured, and honours the time window", async () => {
      const r = await getResidency(store.reads, { since: t0 + 1800_000, until: t0 + 3 * 3600_000 });
      expect(r.tenantId).toBeNull();
      expect(r.foreignOrganized.list.map((c) => c.id)).toEqual(['theirs-1']);
      expect(r.hostedForeign.calls).toBe(1);
    });
  });
}
