// The twin's device catalog: platforms, Teams client versions (one with a planted codec problem), CPUs, audio devices.
import type { Rng } from './prng.ts';

export type Platform = 'windows' | 'macOS' | 'web' | 'iOS' | 'android' | 'roomSystem';

export interface DeviceProfile {
  platform: Platform;
  clientVersion: string;
  headerValue: string;
  machineName: string;
  cpuName: string | null;
  cpuCoresCount: number | null;
  cpuProcessorSpeedInMhz: number | null;
  captureDeviceName: string;
  captureDeviceDriver: string;
  renderDeviceName: string;
  renderDeviceDriver: string;
  /** Wi-Fi adapter (drivers are reported with Wi-Fi network info). */
  wifiVendorDriver: string;
  wifiVendorDriverVersion: string;
  macAddress: string;
}

/** Desktop client versions in rollout order; the planted codec problem ships in `badClientVersion`. */
export const desktopVersions = [
  '25044.2208.3471.2155',
  '25072.1907.3542.5521',
  '25093.808.3594.7042',
] as const;
export const badClientVersion = '25093.808.3594.7042';

const versionsByPlatform: Record<Platform, ReadonlyArray<readonly [string, number]>> = {
  windows: [
    [desktopVersions[0], 0.38],
    [desktopVersions[1], 0.48],
    [desktopVersions[2], 0.14],
  ],
  macOS: [
    [desktopVersions[0], 0.4],
    [desktopVersions[1], 0.6],
  ],
  web: [['1415/25032701710', 1]],
  iOS: [
    ['7.4.1', 0.5],
    ['7.5.0', 0.5],
  ],
  android: [
    ['1416/1.0.0.2025040702', 0.6],
    ['1416/1.0.0.2025050201', 0.4],
  ],
  roomSystem: [['5.3.117.0', 1]],
};

const osByPlatform: Record<Platform, string> = {
  windows: 'Windows 10.0.22631',
  macOS: 'Mac OS X 14.6.1',
  web: 'Windows 10.0; Edge 134.0',
  iOS: 'iOS 18.3.2',
  android: 'Android 14',
  roomSystem: 'Windows 10.0.22631; MTR',
};

const cpus: ReadonlyArray<readonly [string, number, number]> = [
  ['Intel(R) Core(TM) i5-1145G7 @ 2.60GHz', 8, 2611],
  ['Intel(R) Core(TM) i7-1265U', 12, 2688],
  ['13th Gen Intel(R) Core(TM) i7-1365U', 12, 1800],
  ['AMD Ryzen 7 PRO 7840U w/ Radeon 780M Graphics', 16, 3301],
  ['Intel(R) Core(TM) i3-8130U CPU @ 2.20GHz', 4, 2208],
];
const macCpus: ReadonlyArray<readonly [string, number, number]> = [
  ['Apple M1', 8, 3204],
  ['Apple M2 Pro', 12, 3504],
  ['Apple M3', 8, 4056],
];

const headsets: ReadonlyArray<readonly [string, string]> = [
  ['Jabra Evolve2 65', 'Jabra Evolve2 65: 10.0.22621.1'],
  ['Poly Voyager Focus 2', 'Poly BT700: 10.0.22621.1'],
  ['Logitech Zone Wired', 'Logitech Zone Wired: 10.0.22621.1'],
  ['Microphone Array (Realtek(R) Audio)', 'Realtek High Definition Audio: 6.0.9549.1'],
  ['MacBook Pro Microphone', 'Built-in: 1.0'],
];

function hostName(platform: Platform, rng: Rng): string {
  const n = rng.int(1000, 9999);
  if (platform === 'macOS') return `MBP-${n}`;
  if (platform === 'roomSystem') return `MTR-ROOM-${n}`;
  if (platform === 'iOS' || platform === 'android') return `MOBILE-${n}`;
  if (platform === 'web') return '';
  return `LT-${n}`;
}

/** Draws one device of the platform, deterministic in the rng. */
export function pickDevice(platform: Platform, rng: Rng): DeviceProfile {
  const clientVersion = rng.weighted(versionsByPlatform[platform]);
  const mobile = platform === 'iOS' || platform === 'android';
  const cpu = mobile || platform === 'web' ? null : rng.pick(platform === 'macOS' ? macCpus : cpus);
  const audio =
    platform === 'macOS'
      ? rng.pick([headsets[0], headsets[4], headsets[4]])
      : platform === 'roomSystem'
        ? (['Logitech Rally Mic Pod', 'Logitech Rally: 10.0.22621.1'] as const)
        : mobile
          ? (['Default input device', 'Default'] as const)
          : rng.pick(headsets.slice(0, 4));
  const render = audio[0].startsWith('Microphone Array') ? 'Speakers (Realtek(R) Audio)' : audio[0];
  const product = platform === 'web' ? 'TeamsWeb' : platform === 'roomSystem' ? 'TeamsRooms' : 'Teams';
  return {
    platform,
    clientVersion,
    headerValue: `RTCC/2025.${rng.int(1, 12)}.0.${rng.int(1, 40)} (${osByPlatform[platform]}) ${product}/${clientVersion}`,
    machineName: hostName(platform, rng),
    cpuName: cpu ? cpu[0] : null,
    cpuCoresCount: cpu ? cpu[1] : null,
    cpuProcessorSpeedInMhz: cpu ? cpu[2] : null,
    captureDeviceName: audio[0],
    captureDeviceDriver: audio[1],
    renderDeviceName: render,
    renderDeviceDriver: audio[1],
    wifiVendorDriver: platform === 'macOS' ? 'Apple' : 'Intel(R) Wi-Fi 6E AX211 160MHz',
    wifiVendorDriverVersion: platform === 'macOS' ? '1.0' : '23.60.0.10',
    macAddress: mobile ? '02:00:00:00:00:00' : rng.hex(12).replace(/(..)(?!$)/g, '$1:'),
  };
}

/** The platform a member's main device runs. */
export function pickPlatform(rng: Rng): Platform {
  return rng.weighted<Platform>([
    ['windows', 0.62],
    ['macOS', 0.16],
    ['web', 0.08],
    ['iOS', 0.08],
    ['android', 0.06],
  ]);
}
