// CQD's missing-subnet report on hand-made calls, on both databases: only the tenant's own users' audio counts
// (10 streams at least), the unlisted office subnet is corporate by the egress and DNS suffix it shares with a
// mapped building (which it suggests), carrier-grade NAT and a home router on an ISP's suffix are set apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAgain } from '../ingest/prepare-record.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import { classifySubnet, isCarrierNat, isPrivate } from '../quality/subnet-kinds.ts';
import { replaceBuildings } from '../store/buildings.ts';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { listMissingSubnets } from './list-missing-subnets.ts';

const home = 'aaaaaaaa-0000-4000-8000-000000000001';
const other = 'bbbbbbbb-0000-4000-8000-000000000002';
const start = Date.UTC(2025, 4, 5, 9);
const at = (ms: number) => new Date(ms).toISOString();

interface Net {
  subnet: string;
  egress: string;
  dns: string;
}
const hq: Net = { subnet: '10.40.1.0', egress: '198.51.100.7', dns: 'ams.corp.fabrikam.example' };
const unlisted: Net = { subnet: '10.40.9.0', egress: '198.51.100.7', dns: 'ams.corp.fabrikam.example' };
const otherFloor: Net = { subnet: '10.41.3.0', egress: '192.0.2.99', dns: 'lab.corp.fabrikam.example' };
const mobile: Net = { subnet: '100.64.3.0', egress: '192.0.2.50', dns: '' };
const homeWifi: Net = { subnet: '192.168.1.0', egress: '203.0.113.77', dns: 'hsd1.wa.comcast.example' };
const buildingsCsv =
  '10.40.1.0,AMS floor 1,24,Amsterdam Office,Fabrikam,Office,,Amsterdam,1011,NL,,EMEA,1,0,0';

function call(n: number, net: Net, tenant: string, kind: 'user' | 'guest' = 'user') {
  const ep = (id: string, t: string) => ({
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      platform: 'windows',
      productFamily: 'teams',
    },
    associatedIdentity: { id, displayName: id, tenantId: t },
  });
  const callee = `${net.subnet}-${tenant.slice(0, 4)}-${n % 2}`;
  const stream = (d: string) => ({ streamDirection: d, averageJitter: 'PT0.01S', packetUtilization: 5000 });
  const t0 = start + n * 60_000;
  return {
    id: `00000000-${String(n).padStart(4, '0')}-4000-8000-${net.subnet.replaceAll('.', '').padStart(12, '0')}`,
    version: 1,
    type: 'peerToPeer',
    startDateTime: at(t0),
    endDateTime: at(t0 + 30_000),
    participants_v2: [
      { id: 'caller', identity: { user: { id: 'caller', displayName: 'caller', tenantId: home } } },
      { id: callee, identity: { [kind]: { id: callee, displayName: callee, tenantId: tenant } } },
    ],
    sessions: [
      {
        id: 's',
        startDateTime: at(t0),
        endDateTime: at(t0 + 30_000),
        caller: ep('caller', home),
        callee: ep(callee, tenant),
        segments: [
          {
            id: 'g',
            startDateTime: at(t0),
            endDateTime: at(t0 + 30_000),
            media: [
              {
                label: 'main-audio',
                callerNetwork: {
                  subnet: hq.subnet,
                  ipAddress: '10.40.1.5',
                  reflexiveIPAddress: hq.egress,
                  dnsSuffix: hq.dns,
                },
                calleeNetwork: {
                  subnet: net.subnet,
                  ipAddress: net.subnet.replace(/0$/, '9'),
                  reflexiveIPAddress: net.egress,
                  ...(net.dns ? { dnsSuffix: net.dns } : {}),
                },
                streams: [stream('callerToCallee'), stream('calleeToCaller')],
              },
            ],
          },
        ],
      },
    ],
  };
}

for (const database of await testDatabases()) {
  describe(`missing subnets (${database.name})`, () => {
    let opened: Awaited<ReturnType<typeof database.open>>;
    beforeAll(async () => {
      opened = await database.open();
      const store = await storeFromDb(opened.db, opened.url);
      await replaceBuildings(opened.db, parseBuildingFile(buildingsCsv).buildings);
      let n = 0;
      const records = [
        // 5 calls × 2 streams: exactly CQD's 10.
        ...[unlisted, mobile, homeWifi].flatMap((net) =>
          Array.from({ length: 5 }, () => call(n++, net, home)),
        ),
        // Own users' streams 8 (too few) plus guests' 10 on another subnet: it must not be listed.
        ...Array.from({ length: 4 }, () => call(n++, otherFloor, home)),
        ...Array.from({ length: 5 }, () => call(n++, otherFloor, other, 'guest')),
        // Enough streams on the office subnet itself: mapped, so never missing.
        ...Array.from({ length: 5 }, () => call(n++, hq, home)),
      ];
      for (const json of records) {
        const { rows } = rowsFromJson(json, { source: 't', receivedAt: start });
        await store.records.save({ json, rows, source: 't', receivedAt: start }, prepareAgain);
      }
    });
    afterAll(async () => opened?.dispose());

    it("lists the tenant's own users' subnets with 10+ audio streams, the corporate gap first with its building", async () => {
      const rows = await listMissingSubnets(opened.db, { homeTenantId: home });
      expect(rows.map((r) => [r.subnet, r.streams, r.kind, r.insideBy, r.suggestedBuilding])).toEqual([
        ['10.40.9.0', 10, 'corporate', 'egress+dnsSuffix', 'Amsterdam Office'],
        ['192.168.1.0', 10, 'home', null, null],
        ['100.64.3.0', 10, 'carrierNat', null, null],
      ]);
      expect(rows[1].dnsSuffix).toBe('hsd1.wa.comcast.example');
    });

    it("counts only the tenant's own users: guests on a subnet do not make it missing", async () => {
      const rows = await listMissingSubnets(opened.db, { homeTenantId: home, minStreams: 8 });
      expect(rows.find((r) => r.subnet === '10.41.3.0')?.streams).toBe(8);
      // The lab subnet shares the corporate parent domain (corp.fabrikam.example): inside by DNS suffix.
      expect(rows.find((r) => r.subnet === '10.41.3.0')).toMatchObject({
        kind: 'corporate',
        insideBy: 'dnsSuffix',
      });
    });
  });
}

it('classifies by egress, DNS suffix, carrier-grade NAT and private ranges', () => {
  const corp = { egress: new Map([['198.51.100.7', 'HQ']]), suffixes: new Map([['corp.example.org', 'HQ']]) };
  expect(classifySubnet({ subnet: '10.9.9.0', egress: ['198.51.100.7'], dnsSuffixes: [] }, corp)).toEqual({
    kind: 'corporate',
    insideBy: 'egress',
    building: 'HQ',
  });
  expect(
    classifySubnet({ subnet: '10.9.9.0', egress: [], dnsSuffixes: ['x.corp.example.org'] }, corp).insideBy,
  ).toBe('dnsSuffix');
  expect(classifySubnet({ subnet: '100.127.255.0', egress: [], dnsSuffixes: [] }, corp).kind).toBe(
    'carrierNat',
  );
  expect(classifySubnet({ subnet: '100.128.0.0', egress: [], dnsSuffixes: [] }, corp).kind).toBe('other');
  expect(
    classifySubnet({ subnet: '172.20.1.0', egress: ['203.0.113.1'], dnsSuffixes: ['home.isp.example'] }, corp)
      .kind,
  ).toBe('home');
  expect(classifySubnet({ subnet: '172.20.1.0', egress: ['203.0.113.1'], dnsSuffixes: [] }, corp).kind).toBe(
    'other',
  );
  expect([
    isCarrierNat('100.64.0.0'),
    isCarrierNat('100.63.255.0'),
    isPrivate('172.31.0.0'),
    isPrivate('172.32.0.0'),
  ]).toEqual([true, false, true, false]);
});
