// Processing and visibility: records appear after the first upload, versions grow as uploads merge, per-tenant views.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { graphClient, testTwin } from './test-client.ts';
import type { Twin } from './twin.ts';

type Item = { id: string; version: number; lastModifiedDateTime: string; endDateTime: string };
type Endpoint = {
  '@odata.type': string;
  name?: string;
  cpuName?: string;
  cpuCoresCount?: number | null;
  associatedIdentity?: { tenantId: string; id: string } | null;
};
type Session = { id: string; caller: Endpoint; callee: Endpoint; segments: Array<{ media: unknown[] }> };
type Full = Item & {
  sessions: Session[];
  participants_v2: Array<{ id: string; identity: { user?: { tenantId: string } } }>;
  organizer_v2: { identity: { user?: { displayName: string; tenantId: string } } };
};

const twins: Twin[] = [];
afterEach(() => {
  for (const t of twins.splice(0)) t.stop();
});
const expand = '?$expand=sessions($expand=segments),participants_v2';

async function truth(twin: Twin): Promise<Record<string, Array<{ id: string; version: number }>>> {
  return (
    (await (await twin.fetch(new Request('https://x/_twin/truth'))).json()) as {
      tenants: Record<string, Array<{ id: string; version: number }>>;
    }
  ).tenants;
}

describe('versions', () => {
  it('a record appears once the first upload is merged and its version grows with later uploads', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 7, 9, 0, 0));
    const { twin } = testTwin({ clock, days: 1 });
    twins.push(twin);
    const before = new Map((await truth(twin))[twin.homeTenantId].map((r) => [r.id, r.version]));
    await clock.advance(12 * 3_600_000);
    const after = (await truth(twin))[twin.homeTenantId];
    const appeared = after.filter((r) => !before.has(r.id));
    const grown = after.filter((r) => (before.get(r.id) ?? Number.POSITIVE_INFINITY) < r.version);
    expect(appeared.length).toBeGreaterThan(20);
    expect(grown.length).toBeGreaterThan(5);
    for (const r of after) if (before.has(r.id)) expect(r.version).toBeGreaterThanOrEqual(before.get(r.id)!);

    // Watch one record from v1 on: every new version has a later lastModifiedDateTime and at least as much media.
    const watch = appeared.find((r) => r.version >= 3)!;
    expect(watch).toBeDefined();
    const fresh = testTwin({ clock: new ManualClock(Date.UTC(2026, 0, 7, 9, 0, 0)), days: 1 });
    twins.push(fresh.twin);
    let seen: Full | undefined;
    const versions: number[] = [];
    for (let step = 0; step < 12 * 12; step++) {
      await fresh.clock.advance(5 * 60_000);
      // A new client each step: tokens last an hour of clock time.
      const graph = await graphClient(fresh.twin);
      const res = await graph.get(`/communications/callRecords/${watch.id}${expand}`);
      if (res.status === 404) {
        expect(seen).toBeUndefined();
        continue;
      }
      const rec = (await res.json()) as Full;
      if (seen && rec.version !== seen.version) {
        expect(rec.version).toBeGreaterThan(seen.version);
        expect(rec.lastModifiedDateTime > seen.lastModifiedDateTime).toBe(true);
        expect(Date.parse(rec.lastModifiedDateTime)).toBeGreaterThan(Date.parse(rec.endDateTime));
        const media = (r: Full) => r.sessions.flatMap((s) => s.segments.flatMap((g) => g.media)).length;
        expect(media(rec)).toBeGreaterThanOrEqual(media(seen));
      }
      if (!seen || rec.version !== seen.version) versions.push(rec.version);
      seen = rec;
    }
    expect(versions[0]).toBe(1);
    expect(versions.at(-1)).toBe(watch.version);
  }, 60_000);
});

describe('tenant views', () => {
  it('the organizer tenant sees everyone; external endpoints come with empty device fields', async () => {
    const { twin } = testTwin({ users: 80 });
    twins.push(twin);
    const t = await truth(twin);
    const external = twin.tenants.find((x) => !x.home)!;
    const shared = t[twin.homeTenantId].filter((r) => t[external.id].some((e) => e.id === r.id));
    expect(shared.length).toBeGreaterThan(5);
    const home = await graphClient(twin);
    const ext = await graphClient(twin, external.id);
    let checkedForeign = 0;
    let checkedParticipantView = 0;
    for (const { id } of shared.slice(0, 40)) {
      const mine = await home.json<Full>(`/communications/callRecords/${id}${expand}`);
      const theirs = await ext.json<Full>(`/communications/callRecords/${id}${expand}`);
      const organizerTenant = mine.organizer_v2.identity.user?.tenantId;
      if (organizerTenant !== twin.homeTenantId && organizerTenant !== external.id) continue;
      const homeOrganizes = organizerTenant === twin.homeTenantId;
      const [organizerView, participantView, participantTenant] = homeOrganizes
        ? [mine, theirs, external.id]
        : [theirs, mine, twin.homeTenantId];
      expect(participantView.organizer_v2.identity.user?.displayName).toBe(
        organizerView.organizer_v2.identity.user?.displayName,
      );
      const p2p =
        organizerView.sessions.length === 1 &&
        organizerView.sessions[0].callee['@odata.type'].endsWith('participantEndpoint');
      if (!p2p) {
        // A participant tenant sees only its own people and their sessions.
        expect(
          participantView.participants_v2.every((p) => p.identity.user?.tenantId === participantTenant),
        ).toBe(true);
        expect(participantView.participants_v2.length).toBeLessThan(organizerView.participants_v2.length);
        expect(participantView.sessions.length).toBeLessThan(organizerView.sessions.length);
        checkedParticipantView++;
      }
      for (const s of organizerView.sessions)
        for (const end of [s.caller, s.callee]) {
          const tenant = end.associatedIdentity?.tenantId;
          if (!end['@odata.type'].endsWith('participantEndpoint') || !tenant || tenant === organizerTenant)
            continue;
          expect(end.name).toBe('');
          expect(end.cpuName).toBe('');
          expect(end.cpuCoresCount).toBeNull();
          checkedForeign++;
        }
    }
    expect(checkedForeign).toBeGreaterThan(0);
    expect(checkedParticipantView).toBeGreaterThan(0);
  });

  it('a token is bound to its tenant: each tenant lists only records it has a view of', async () => {
    const { twin } = testTwin();
    twins.push(twin);
    const t = await truth(twin);
    for (const tenant of twin.tenants) {
      const graph = await graphClient(twin, tenant.id);
      const ids = (await graph.all<Item>('/communications/callRecords')).map((r) => r.id).sort();
      expect(ids).toEqual(t[tenant.id].map((r) => r.id).sort());
    }
    expect(t[twin.tenants[1].id].length).toBeLessThan(t[twin.homeTenantId].length);
  });

  it('traceRouteHops stay empty unless trace routes are enabled', async () => {
    const plain = testTwin();
    const traced = testTwin({ traceRoute: true });
    twins.push(plain.twin, traced.twin);
    const id = (await truth(plain.twin))[plain.twin.homeTenantId][0].id;
    const hops = async (twin: Twin) => {
      const body = await (await graphClient(twin)).json<Full>(`/communications/callRecords/${id}${expand}`);
      return JSON.stringify(body).match(/"traceRouteHops":\[\{/g)?.length ?? 0;
    };
    expect(await hops(plain.twin)).toBe(0);
    expect(await hops(traced.twin)).toBeGreaterThan(0);
  });
});
