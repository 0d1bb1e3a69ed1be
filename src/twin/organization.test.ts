// The synthetic organization and its building file: tenants, people, devices, networks, the subnet left out.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { buildingsCsv } from './buildings-csv.ts';
import { generateHour } from './call-generator.ts';
import { missingSubnet } from './networks.ts';
import { createOrganization } from './organization.ts';
import { createTwin } from './twin.ts';

describe('organization', () => {
  it('has a home tenant, two external tenants, members with UPNs in their tenant, rooms and every platform', () => {
    const org = createOrganization(9, 200, 'home-tenant');
    expect(org.tenants).toHaveLength(3);
    expect(org.tenants.filter((t) => t.home)).toHaveLength(1);
    expect(org.members).toHaveLength(200);
    expect(org.rooms.length).toBeGreaterThan(0);
    expect(new Set(org.users.map((u) => u.id)).size).toBe(org.users.length);
    for (const t of org.tenants.slice(1)) expect(org.externals.get(t.id)!.length).toBeGreaterThan(0);
    for (const u of org.users)
      expect(u.userPrincipalName.endsWith(org.tenants.find((t) => t.id === u.tenantId)!.domain)).toBe(true);
    const platforms = new Set(org.users.flatMap((u) => [u.device.platform, u.mobileDevice.platform]));
    for (const p of ['windows', 'macOS', 'web', 'iOS', 'android', 'roomSystem'])
      expect(platforms).toContain(p);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = createOrganization(9, 50, 'h');
    expect(JSON.stringify(createOrganization(9, 50, 'h').users)).toBe(JSON.stringify(a.users));
    expect(createOrganization(10, 50, 'h').users[0].displayName).not.toBe(a.users[0].displayName);
  });
});

describe('buildings file', () => {
  it("follows CQD's layout: no header, 15 columns, prefix lengths 8-28, 0/1 flags, a VPN row", () => {
    const rows = buildingsCsv()
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r).toHaveLength(15);
      expect(r[0]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(Number(r[2])).toBeGreaterThanOrEqual(8);
      expect(Number(r[2])).toBeLessThanOrEqual(28);
      for (const flag of r.slice(12)) expect(['0', '1']).toContain(flag);
    }
    expect(rows.some((r) => r[14] === '1')).toBe(true);
  });

  it('leaves out a subnet that calls really use', () => {
    const csv = buildingsCsv();
    expect(csv).not.toContain(`${missingSubnet},`);
    const org = createOrganization(3, 200, 'h');
    let used = 0;
    for (let h = 0; h < 24; h++)
      for (const call of generateHour(org, 3, Date.UTC(2026, 0, 6, h)))
        for (const p of call.participants) if (p.network?.subnet === missingSubnet) used++;
    expect(used).toBeGreaterThanOrEqual(10);
  });
});

describe('generation', () => {
  it('builds 14 days of a 200-user organization', () => {
    const started = performance.now();
    const clock = new ManualClock(Date.UTC(2026, 0, 19, 9, 0, 0));
    const twin = createTwin({ seed: 1, users: 200, days: 14, clock });
    const ms = Math.round(performance.now() - started);
    // Reported, not asserted: timing belongs to scripts, not tests.
    console.log(`twin generation: 14 days x 200 users in ${ms} ms`);
    expect(twin.tenants).toHaveLength(3);
    twin.stop();
  });
});
