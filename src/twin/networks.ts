// The twin's networks: buildings with wired/Wi-Fi subnets (one with a bad uplink), a VPN pool, home ISPs, mobile.
import { type AccessPoint, accessPointsOf } from './access-points.ts';
import type { Rng } from './prng.ts';

export type NetworkKind = 'wired' | 'wifi5' | 'wifi24' | 'vpn' | 'homeWifi' | 'homeWired' | 'mobile';

export interface Building {
  name: string;
  city: string;
  zip: string;
  country: string;
  state: string;
  region: string;
  /** Second octet of the building's 10.x.0.0/16 block. */
  block: number;
  publicIp: string;
  /** The planted bad uplink: every call from here loses packets and waits. */
  badUplink: boolean;
  /** Share of home-tenant members based here. */
  weight: number;
}

export const buildings: readonly Building[] = [
  {
    name: 'Seattle HQ',
    city: 'Seattle',
    zip: '98101',
    country: 'US',
    state: 'WA',
    region: 'NOAM',
    block: 10,
    publicIp: '203.0.113.10',
    badUplink: false,
    weight: 0.42,
  },
  {
    name: 'Chicago Loop',
    city: 'Chicago',
    zip: '60601',
    country: 'US',
    state: 'IL',
    region: 'NOAM',
    block: 20,
    publicIp: '203.0.113.20',
    badUplink: true,
    weight: 0.13,
  },
  {
    name: 'London Bridge',
    city: 'London',
    zip: 'SE1 9SG',
    country: 'GB',
    state: '',
    region: 'EMEA',
    block: 30,
    publicIp: '203.0.113.30',
    badUplink: false,
    weight: 0.15,
  },
  {
    name: 'Munich Campus',
    city: 'Munich',
    zip: '80331',
    country: 'DE',
    state: 'BY',
    region: 'EMEA',
    block: 40,
    publicIp: '203.0.113.40',
    badUplink: false,
    weight: 0.12,
  },
  {
    name: 'Bengaluru Tech Park',
    city: 'Bengaluru',
    zip: '560103',
    country: 'IN',
    state: 'KA',
    region: 'APAC',
    block: 50,
    publicIp: '203.0.113.50',
    badUplink: false,
    weight: 0.08,
  },
];

/** Third octets inside each building block: 1 wired, 2 Wi-Fi; HQ also has 5, a new floor left out of the file. */
export const wiredOctet = 1;
export const wifiOctet = 2;
export const unlistedOctet = 5;
/** HQ's fifth-floor wired subnet: busy, but not in the building file (the missing-subnet report must find it). */
export const missingSubnet = `10.${buildings[0].block}.${unlistedOctet}.0`;
export const vpnPool = { network: '10.250.0.0', prefix: 22 } as const;

export interface Isp {
  name: string;
  publicPrefix: string;
  dnsSuffix: string;
}
export const isps: readonly Isp[] = [
  { name: 'Comcast', publicPrefix: '198.51.100', dnsSuffix: 'hsd1.wa.comcast.net' },
  { name: 'Spectrum', publicPrefix: '198.51.101', dnsSuffix: 'res.rr.com' },
  { name: 'BT', publicPrefix: '198.51.102', dnsSuffix: 'btcentralplus.com' },
  { name: 'Deutsche Telekom', publicPrefix: '198.51.103', dnsSuffix: 'dip0.t-ipconnect.de' },
  { name: 'Airtel', publicPrefix: '198.51.104', dnsSuffix: 'airtelbroadband.in' },
];
const mobileCarrierPrefix = '192.0.2';

/** Where one participant's media came from in one call. */
export interface NetworkPoint {
  kind: NetworkKind;
  building: Building | null;
  ipAddress: string;
  subnet: string;
  reflexiveIPAddress: string;
  relayIPAddress: string;
  relayPort: number;
  port: number;
  connectionType: 'wired' | 'wifi' | 'mobile';
  wifiBand: 'unknown' | 'frequency24GHz' | 'frequency50GHz';
  wifiRadioType: 'unknown' | 'wifi80211n' | 'wifi80211ac' | 'wifi80211ax';
  wifiChannel: number | null;
  wifiSignalStrength: number | null;
  basicServiceSetIdentifier: string | null;
  /** The corporate access point behind the BSSID (not sent: the access-point file names it). */
  accessPoint: AccessPoint | null;
  linkSpeed: number;
  dnsSuffix: string;
  networkTransportProtocol: 'udp' | 'tcp';
}

/** Picks the network a member joins from, given their home building (null for remote workers). */
export function pickNetworkKind(building: Building | null, weekend: boolean, rng: Rng): NetworkKind {
  const inOffice = building && !weekend && rng.chance(0.58);
  if (inOffice)
    return rng.weighted<NetworkKind>([
      ['wired', 0.45],
      ['wifi5', 0.38],
      ['wifi24', 0.17],
    ]);
  if (rng.chance(0.1)) return 'mobile';
  if (rng.chance(0.2)) return 'vpn';
  return rng.chance(0.75) ? 'homeWifi' : 'homeWired';
}

/** Builds the addresses and link details for one join; `host` keeps a member's address stable across calls. */
export function networkPoint(
  kind: NetworkKind,
  building: Building | null,
  isp: Isp,
  host: number,
  rng: Rng,
): NetworkPoint {
  const h = 10 + (host % 240);
  const relay = `52.115.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const base = {
    kind,
    relayIPAddress: relay,
    relayPort: 3478 + rng.int(0, 3),
    port: rng.int(50000, 50059),
    networkTransportProtocol: (rng.chance(0.96) ? 'udp' : 'tcp') as 'udp' | 'tcp',
    wifiBand: 'unknown' as const,
    wifiRadioType: 'unknown' as const,
    wifiChannel: null,
    wifiSignalStrength: null,
    basicServiceSetIdentifier: null,
    accessPoint: null,
  };
  if ((kind === 'wired' || kind === 'wifi5' || kind === 'wifi24') && building) {
    const hq = building === buildings[0];
    const octet = kind === 'wired' ? (hq && host % 3 === 0 ? unlistedOctet : wiredOctet) : wifiOctet;
    const wifi = kind !== 'wired';
    // Each member has a desk access point; a quarter of joins come from another one (meeting rooms, the canteen).
    // Two draws whatever the outcome, as many as the random BSSIDs before, so the rest of the hour is unchanged.
    const aps = accessPointsOf(building);
    const roam = wifi && rng.next() < 0.25;
    const other = wifi ? rng.int(0, aps.length - 1) : 0;
    const ap = wifi ? aps[roam ? other : host % aps.length] : null;
    return {
      ...base,
      building,
      ipAddress: `10.${building.block}.${octet}.${h}`,
      subnet: `10.${building.block}.${octet}.0`,
      reflexiveIPAddress: building.publicIp,
      connectionType: wifi ? 'wifi' : 'wired',
      wifiBand: !wifi ? 'unknown' : kind === 'wifi24' ? 'frequency24GHz' : 'frequency50GHz',
      wifiRadioType: !wifi ? 'unknown' : kind === 'wifi24' ? 'wifi80211n' : 'wifi80211ax',
      wifiChannel: !wifi ? null : kind === 'wifi24' ? rng.pick([1, 6, 11]) : rng.pick([36, 44, 100, 149]),
      wifiSignalStrength: wifi ? rng.int(kind === 'wifi24' ? 35 : 60, 100) : null,
      basicServiceSetIdentifier: ap ? (kind === 'wifi24' ? ap.bssid24 : ap.bssid5) : null,
      accessPoint: ap,
      linkSpeed: !wifi ? 1_000_000_000 : kind === 'wifi24' ? 72_000_000 : 866_000_000,
      dnsSuffix: `${building.city.toLowerCase()}.corp.contoso.example`,
    };
  }
  if (kind === 'vpn') {
    const third = host % 4;
    return {
      ...base,
      building: null,
      ipAddress: `10.250.${third}.${h}`,
      subnet: `10.250.${third}.0`,
      reflexiveIPAddress: '203.0.113.200',
      connectionType: 'wired',
      linkSpeed: 100_000_000,
      dnsSuffix: 'vpn.corp.contoso.example',
      networkTransportProtocol: 'tcp',
    };
  }
  if (kind === 'mobile')
    return {
      ...base,
      building: null,
      ipAddress: `100.64.${host % 256}.${rng.int(2, 254)}`,
      subnet: `100.64.${host % 256}.0`,
      reflexiveIPAddress: `${mobileCarrierPrefix}.${rng.int(1, 254)}`,
      connectionType: 'mobile',
      linkSpeed: 50_000_000,
      dnsSuffix: '',
    };
  const wifi = kind === 'homeWifi';
  return {
    ...base,
    building: null,
    ipAddress: `192.168.${host % 3 === 0 ? 0 : 1}.${h}`,
    subnet: `192.168.${host % 3 === 0 ? 0 : 1}.0`,
    reflexiveIPAddress: `${isp.publicPrefix}.${(host % 250) + 2}`,
    connectionType: wifi ? 'wifi' : 'wired',
    wifiBand: wifi ? (host % 6 === 0 ? 'frequency24GHz' : 'frequency50GHz') : 'unknown',
    wifiRadioType: wifi ? (host % 6 === 0 ? 'wifi80211n' : 'wifi80211ac') : 'unknown',
    wifiChannel: wifi ? (host % 6 === 0 ? 6 : 44) : null,
    wifiSignalStrength: wifi ? rng.int(45, 95) : null,
    basicServiceSetIdentifier: wifi ? `a4:2b:b0:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}` : null,
    linkSpeed: wifi ? 300_000_000 : 1_000_000_000,
    dnsSuffix: isp.dnsSuffix,
  };
}
