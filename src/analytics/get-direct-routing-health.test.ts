// Direct Routing health on hand-made rows with known answers: NER and ASR per SBC and day with 486/487/480/603
// counted as the ITU-T definitions count them, average duration of answered calls, endings and locations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectRoutingLogRow } from '../graph/types.ts';
import { upsertDirectRoutingCalls } from '../store/pstn-logs.ts';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { getDirectRoutingHealth } from './get-direct-routing-health.ts';
import { listDirectRoutingCalls } from './list-pstn-calls.ts';

const day1 = Date.UTC(2024, 4, 1, 9);
const day2 = Date.UTC(2024, 4, 2, 9);
let n = 0;
function row(
  trunk: string,
  at: number,
  o: { ok?: boolean; sip: number; phrase?: string; sub?: number; seconds?: number; bypass?: boolean },
): DirectRoutingLogRow {
  n++;
  return {
    id: `dr-${n}`,
    userId: `u${n % 3}`,
    userPrincipalName: `u${n % 3}@contoso.example`,
    startDateTime: new Date(at + n * 60_000).toISOString(),
    duration: o.seconds ?? 0,
    successfulCall: o.ok ?? false,
    finalSipCode: o.sip,
    finalSipCodePhrase: o.phrase ?? null,
    callEndSubReason: o.sub ?? null,
    trunkFullyQualifiedDomainName: trunk,
    mediaPathLocation: trunk === 'sbc1.contoso.example' ? 'EUWE' : 'USWE',
    signalingLocation: 'EUNO',
    mediaBypassEnabled: o.bypass ?? false,
  } as DirectRoutingLogRow;
}

// sbc1, day 1: 4 answered (60, 120, 180, 240 s), busy 486, no answer 480, caller hung up 487, declined 603,
// and two failures: 503 from the SBC, 408 timeout. 10 attempts: ASR 40 %, NER 80 %.
// sbc1, day 2: 1 answered (30 s), one 500: ASR 50 %, NER 50 %.
// sbc2, day 1: 2 answered (600 s each), 600 Busy Everywhere: ASR 66.7 %, NER 100 %.
const rows = [
  row('sbc1.contoso.example', day1, {
    ok: true,
    sip: 0,
    phrase: 'BYE',
    sub: 540000,
    seconds: 60,
    bypass: true,
  }),
  row('sbc1.contoso.example', day1, { ok: true, sip: 0, seconds: 120, bypass: true }),
  row('sbc1.contoso.example', day1, { ok: true, sip: 200, seconds: 180 }),
  row('sbc1.contoso.example', day1, { ok: true, sip: 0, seconds: 240 }),
  row('sbc1.contoso.example', day1, { sip: 486, phrase: 'Busy Here', sub: 10486 }),
  row('sbc1.contoso.example', day1, { sip: 480, phrase: 'Temporarily Unavailable', sub: 10480 }),
  row('sbc1.contoso.example', day1, { sip: 487, phrase: 'Request Terminated', sub: 10487 }),
  row('sbc1.contoso.example', day1, { sip: 603, phrase: 'Decline', sub: 10603 }),
  row('sbc1.contoso.example', day1, { sip: 503, phrase: 'Service Unavailable', sub: 560503 }),
  row('sbc1.contoso.example', day1, { sip: 408, phrase: 'Request Timeout', sub: 560408 }),
  row('sbc1.contoso.example', day2, { ok: true, sip: 0, seconds: 30 }),
  row('sbc1.contoso.example', day2, { sip: 500, phrase: 'Server Internal Error', sub: 560500 }),
  row('sbc2.contoso.example', day1, { ok: true, sip: 0, seconds: 600 }),
  row('sbc2.contoso.example', day1, { ok: true, sip: 0, seconds: 600 }),
  row('sbc2.contoso.example', day1, { sip: 600, phrase: 'Busy Everywhere' }),
];

for (const database of await testDatabases()) {
  describe(`Direct Routing health (${database.name})`, () => {
    let opened: Awaited<ReturnType<typeof database.open>>;
    beforeAll(async () => {
      opened = await database.open();
      await storeFromDb(opened.db, opened.url);
      await upsertDirectRoutingCalls(opened.db, rows, day1);
    });
    afterAll(async () => opened?.dispose());

    it('NER and ASR per SBC with user outcomes counted as effective', async () => {
      const h = await getDirectRoutingHealth(opened.db);
      const sbc1 = h.bySbc.find((s) => s.trunk === 'sbc1.contoso.example');
      const sbc2 = h.bySbc.find((s) => s.trunk === 'sbc2.contoso.example');
      expect(sbc1).toMatchObject({ calls: 12, answered: 5, effective: 9, failed: 3 });
      expect(sbc1?.asrPercent).toBeCloseTo((5 / 12) * 100, 9);
      expect(sbc1?.nerPercent).toBeCloseTo(75, 9);
      expect(sbc1?.averageDurationSeconds).toBe((60 + 120 + 180 + 240 + 30) / 5);
      expect(sbc1?.mediaBypassPercent).toBeCloseTo((2 / 12) * 100, 9);
      expect(sbc2).toMatchObject({ calls: 3, answered: 2, effective: 3, failed: 0, nerPercent: 100 });
      expect(sbc2?.averageDurationSeconds).toBe(600);
      expect(h.totals).toMatchObject({ calls: 15, answered: 7, effective: 12, failed: 3 });
      expect(h.totals.nerPercent).toBe(80);
    });

    it('per SBC and day', async () => {
      const h = await getDirectRoutingHealth(opened.db);
      const cells = h.bySbcDay.map((d) => [d.day, d.trunk, d.calls, d.asrPercent, d.nerPercent]);
      expect(cells).toEqual([
        ['2024-05-01', 'sbc1.contoso.example', 10, 40, 80],
        ['2024-05-01', 'sbc2.contoso.example', 3, (2 / 3) * 100, 100],
        ['2024-05-02', 'sbc1.contoso.example', 2, 50, 50],
      ]);
      const second = await getDirectRoutingHealth(opened.db, { since: Date.UTC(2024, 4, 2) });
      expect(second.totals).toMatchObject({ calls: 2, answered: 1, effective: 1 });
    });

    it('final SIP codes and sub-reasons of the calls not answered, user outcomes apart', async () => {
      const h = await getDirectRoutingHealth(opened.db);
      const sbc1 = h.endings.filter((e) => e.trunk === 'sbc1.contoso.example');
      expect(sbc1.map((e) => [e.sipCode, e.subReason, e.kind, e.effective]).sort()).toEqual(
        [
          [408, 560408, 'failure', false],
          [480, 10480, 'noAnswer', true],
          [486, 10486, 'busy', true],
          [487, 10487, 'cancelled', true],
          [500, 560500, 'failure', false],
          [503, 560503, 'failure', false],
          [603, 10603, 'declined', true],
        ].sort(),
      );
      expect(h.endings.find((e) => e.sipCode === 600)).toMatchObject({ kind: 'busy', effective: true });
      expect(h.locations).toEqual([
        { trunk: 'sbc1.contoso.example', mediaPathLocation: 'EUWE', signalingLocation: 'EUNO', calls: 12 },
        { trunk: 'sbc2.contoso.example', mediaPathLocation: 'USWE', signalingLocation: 'EUNO', calls: 3 },
      ]);
    });

    it('the call list: newest first, paged, by user, each with its outcome', async () => {
      const all = await listDirectRoutingCalls(opened.db, { limit: 5 });
      expect(all.total).toBe(15);
      expect(all.calls).toHaveLength(5);
      expect(all.calls[0].startDateTime).toBe(rows[11].startDateTime);
      const mine = await listDirectRoutingCalls(opened.db, { user: 'U1@contoso.example', limit: 100 });
      expect(mine.total).toBe(rows.filter((r) => r.userId === 'u1').length);
      const busy = (await listDirectRoutingCalls(opened.db, { limit: 100 })).calls.find(
        (c) => c.finalSipCode === 486,
      );
      expect(busy).toMatchObject({ outcome: 'busy', successfulCall: false, trunk: 'sbc1.contoso.example' });
    });
  });
}
