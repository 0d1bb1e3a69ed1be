// The synthetic organization: a home tenant and external tenants, members with devices and networks, rooms.
import { base, en, Faker } from '@faker-js/faker';
import { type CausePlan, createCausePlan, unitHash } from './cause-plan.ts';
import { type DeviceProfile, type Platform, pickDevice, pickPlatform } from './devices.ts';
import { type Building, buildings, type Isp, isps } from './networks.ts';
import { createRng, type Rng } from './prng.ts';

export interface TwinTenant {
  id: string;
  name: string;
  domain: string;
  home: boolean;
}

export interface TwinUser {
  /** Entra object id. */
  id: string;
  displayName: string;
  userPrincipalName: string;
  tenantId: string;
  room: boolean;
  device: DeviceProfile;
  /** A phone for calls taken on the go. */
  mobileDevice: DeviceProfile;
  building: Building | null;
  isp: Isp;
  /** Keeps the member's addresses stable from call to call. */
  host: number;
  /** E.164 number for PSTN-enabled members, else null. */
  phoneNumber: string | null;
  /** How the member's PSTN calls are routed. */
  pstn: 'callingPlan' | 'directRouting' | null;
}

export interface Organization {
  tenants: TwinTenant[];
  home: TwinTenant;
  /** Home-tenant members (rooms included), then each external tenant's members. */
  users: TwinUser[];
  members: TwinUser[];
  rooms: TwinUser[];
  externals: Map<string, TwinUser[]>;
  byId: Map<string, TwinUser>;
  /** The seed's planted causes (who has the bad ISP and driver is decided here, the rollout per call). */
  plan: CausePlan;
}

const externalNames = [
  ['Fabrikam', 'fabrikam.example'],
  ['Northwind Traders', 'northwind.example'],
] as const;

function makeUser(
  faker: Faker,
  rng: Rng,
  tenant: TwinTenant,
  host: number,
  building: Building | null,
  platform: Platform,
): TwinUser {
  const first = faker.person.firstName();
  const last = faker.person.lastName();
  const alias = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  const phone = rng.chance(0.35);
  return {
    id: rng.uuid(),
    displayName: `${first} ${last}`,
    userPrincipalName: `${alias}${host}@${tenant.domain}`,
    tenantId: tenant.id,
    room: false,
    device: pickDevice(platform, rng),
    mobileDevice: pickDevice(rng.chance(0.55) ? 'iOS' : 'android', rng),
    building,
    isp: building ? isps[Math.min(isps.length - 1, buildings.indexOf(building))] : rng.pick(isps),
    host,
    phoneNumber: phone ? `+1425555${String(1000 + host).slice(-4)}` : null,
    pstn: phone ? (rng.chance(0.5) ? 'callingPlan' : 'directRouting') : null,
  };
}

/** Some people's home ISP is the planted bad one, and some Realtek microphones run the bad driver version. */
function plantCauses(user: TwinUser, plan: CausePlan, seed: number): TwinUser {
  const isp = unitHash(seed, `isp:${user.id}`);
  if (isp < plan.isp.share) {
    const variants = plan.isp.variants;
    user.isp = variants[Math.floor((isp / plan.isp.share) * variants.length)];
  }
  const dev = plan.captureDevice;
  if (user.device.captureDeviceName === dev.name && unitHash(seed, `driver:${user.id}`) < dev.badShare)
    user.device.captureDeviceDriver = dev.badDriver;
  return user;
}

/** Builds the organization for a seed; members = home-tenant people (rooms come on top). */
export function createOrganization(
  seed: number,
  members: number,
  homeTenantId: string,
  plan: CausePlan = createCausePlan(seed, Date.UTC(2026, 0, 19)),
): Organization {
  const rng = createRng(seed, 'organization');
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const home: TwinTenant = { id: homeTenantId, name: 'Contoso', domain: 'contoso.example', home: true };
  const tenants: TwinTenant[] = [home];
  for (const [name, domain] of externalNames) tenants.push({ id: rng.uuid(), name, domain, home: false });

  const byId = new Map<string, TwinUser>();
  const memberList: TwinUser[] = [];
  for (let i = 0; i < members; i++) {
    const building = rng.chance(0.9) ? rng.weighted(buildings.map((b) => [b, b.weight] as const)) : null;
    const user = makeUser(faker, rng, home, i + 1, building, pickPlatform(rng));
    memberList.push(plantCauses(user, plan, seed));
  }
  const rooms: TwinUser[] = [];
  const roomCount = Math.max(2, Math.round(members / 40));
  for (let i = 0; i < roomCount; i++) {
    const building = buildings[i % buildings.length];
    const device = pickDevice('roomSystem', rng);
    const name = `${building.city} ${faker.word.adjective()} room`.replace(/^\w/, (c) => c.toUpperCase());
    rooms.push({
      id: rng.uuid(),
      displayName: name,
      userPrincipalName: `room-${building.block}-${i + 1}@${home.domain}`,
      tenantId: home.id,
      room: true,
      device,
      mobileDevice: device,
      building,
      isp: isps[0],
      host: 200 + i,
      phoneNumber: null,
      pstn: null,
    });
  }
  const externals = new Map<string, TwinUser[]>();
  const perExternal = Math.max(8, Math.round(members / 8));
  for (const tenant of tenants.slice(1)) {
    const list: TwinUser[] = [];
    for (let i = 0; i < perExternal; i++)
      list.push(plantCauses(makeUser(faker, rng, tenant, 1000 + i, null, pickPlatform(rng)), plan, seed));
    externals.set(tenant.id, list);
  }
  const users = [...memberList, ...rooms, ...[...externals.values()].flat()];
  for (const u of users) byId.set(u.id, u);
  return { tenants, home, users, members: memberList, rooms, externals, byId, plan };
}
