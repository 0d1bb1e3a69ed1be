// The building/subnet map in CQD's building data file layout (no header, 15 columns), one subnet left out on purpose.
import { buildings, vpnPool, wifiOctet, wiredOctet } from './networks.ts';

/** CSV fields never contain commas here, but quote defensively so a future name cannot shift columns. */
function field(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * NetworkIP, NetworkName, NetworkRange, BuildingName, OwnershipType, BuildingType, BuildingOfficeType,
 * City, ZipCode, Country, State, Region, InsideCorp, ExpressRoute, VPN.
 */
export function buildingsCsv(): string {
  const rows: Array<Array<string | number>> = [];
  for (const b of buildings) {
    const code = b.name.toUpperCase().replace(/[^A-Z]+/g, '-');
    for (const [octet, label] of [
      [wiredOctet, 'Wired'],
      [wifiOctet, 'WiFi'],
    ] as const) {
      rows.push([
        `10.${b.block}.${octet}.0`,
        `${b.country}/${b.city}/${code}-${label}`,
        24,
        b.name,
        'Contoso',
        'Office',
        label === 'Wired' ? 'Engineering' : 'Shared',
        b.city,
        b.zip,
        b.country,
        b.state,
        b.region,
        1,
        0,
        0,
      ]);
    }
  }
  rows.push([
    vpnPool.network,
    'Global/VPN',
    vpnPool.prefix,
    'VPN',
    'Contoso',
    'VPN',
    '',
    'Seattle',
    '98101',
    'US',
    'WA',
    'NOAM',
    1,
    0,
    1,
  ]);
  return `${rows.map((r) => r.map(field).join(',')).join('\n')}\n`;
}
