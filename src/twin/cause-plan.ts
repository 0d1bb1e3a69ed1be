// Which values carry the twin's seed-dependent planted causes (access point, driver, ISP, congested subnet, video
// rollout): drawn once per seed, so attribution is proven on values it has not been tuned to.
import { type AccessPoint, accessPointsOf } from './access-points.ts';
import { type Building, buildings, type Isp, wiredOctet } from './networks.ts';
import { createRng, hash32 } from './prng.ts';

export interface CausePlan {
  /** One access point in a good building whose radio makes audio poor (loss, jitter). */
  accessPoint: AccessPoint;
  /** The capture device model that ships with a good and a bad driver version; only the bad one glitches. */
  captureDevice: { name: string; goodDriver: string; badDriver: string; badShare: number };
  /** A home ISP whose networks lose packets; its DNS suffixes are several subdomains of one registered domain. */
  isp: { name: string; domain: string; variants: Isp[]; share: number };
  /** A corporate wired subnet congested on weekdays during `hours` (UTC). */
  congested: { subnet: string; building: Building; hours: number[] };
  /** A desktop client version rolled out in the window's last days whose video decoding breaks. */
  rollout: { version: string; platform: 'windows'; sinceMs: number; rampMs: number; finalShare: number };
}

const dayMs = 86_400_000;
/** Good buildings big enough for a cause to be seen at a few hundred users (the bad-uplink building is apart). */
const candidates = buildings.filter((b) => !b.badUplink && b.weight >= 0.12);

export const realtekMic = 'Microphone Array (Realtek(R) Audio)';
export const realtekGoodDriver = 'Realtek High Definition Audio: 6.0.9549.1';
const realtekBadDrivers = [
  'Realtek High Definition Audio: 6.0.9600.1',
  'Realtek High Definition Audio: 6.0.9613.1',
  'Realtek High Definition Audio: 6.0.9637.1',
];

const badIsps = [
  {
    name: 'BadISP Broadband',
    domain: 'badisp-example.net',
    hosts: ['res.sea', 'dyn.lon', 'cpe.muc', 'pool.chi'],
  },
  { name: 'Slowlink Cable', domain: 'slowlink-example.com', hosts: ['cust.west', 'cust.east', 'home.north'] },
  { name: 'Lagwave Fiber', domain: 'lagwave-example.net', hosts: ['ftth.a1', 'ftth.b2', 'dsl.c3', 'dsl.d4'] },
];

const rolloutVersions = ['25121.1203.3611.4420', '25128.907.3630.1187', '25135.1511.3652.2290'];

/** The plan of a seed; `windowEndMs` is when the twin starts (the rollout began five days before it). */
export function createCausePlan(seed: number, windowEndMs: number): CausePlan {
  const rng = createRng(seed, 'cause-plan');
  const apBuilding = rng.pick(candidates);
  const accessPoint = rng.pick(accessPointsOf(apBuilding));
  const subnetBuilding = rng.pick(candidates.filter((b) => b !== apBuilding));
  const start = rng.int(12, 14);
  const isp = rng.pick(badIsps);
  const prefix = 110 + rng.int(0, 9);
  return {
    accessPoint,
    captureDevice: {
      name: realtekMic,
      goodDriver: realtekGoodDriver,
      badDriver: rng.pick(realtekBadDrivers),
      badShare: 0.45,
    },
    isp: {
      name: isp.name,
      domain: isp.domain,
      variants: isp.hosts.map((h, i) => ({
        name: isp.name,
        publicPrefix: `198.51.${prefix + i * 10}`,
        dnsSuffix: `${h}.${isp.domain}`,
      })),
      share: 0.22,
    },
    congested: {
      subnet: `10.${subnetBuilding.block}.${wiredOctet}.0`,
      building: subnetBuilding,
      hours: [start, start + 1, start + 2],
    },
    rollout: {
      version: rng.pick(rolloutVersions),
      platform: 'windows',
      sinceMs: Math.floor((windowEndMs - 5 * dayMs) / 3_600_000) * 3_600_000,
      rampMs: 4 * dayMs,
      finalShare: 0.7,
    },
  };
}

/** A stable number in [0, 1) per seed and key (who adopts when, who has the bad driver), drawing no rng. */
export function unitHash(seed: number, key: string): number {
  return hash32(`${seed}:${key}`) / 4294967296;
}

/** When the user's Windows client moves to the rollout version, or null when it never does. */
export function upgradeAt(plan: CausePlan, seed: number, userId: string): number | null {
  const u = unitHash(seed, `rollout:${userId}`);
  const r = plan.rollout;
  return u < r.finalShare ? r.sinceMs + (u / r.finalShare) * r.rampMs : null;
}

export function isCongested(plan: CausePlan, subnet: string, atMs: number): boolean {
  if (subnet !== plan.congested.subnet) return false;
  const d = new Date(atMs);
  const day = d.getUTCDay();
  return day !== 0 && day !== 6 && plan.congested.hours.includes(d.getUTCHours());
}

export function isBadIsp(plan: CausePlan, dnsSuffix: string): boolean {
  return dnsSuffix.endsWith(`.${plan.isp.domain}`);
}
