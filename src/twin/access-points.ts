// The corporate Wi-Fi access points (two radios, so two BSSIDs, each) and their file: BSSID,APName,BuildingName,Floor.
import { type Building, buildings } from './networks.ts';

export interface AccessPoint {
  name: string;
  building: Building;
  floor: number;
  bssid24: string;
  bssid5: string;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** More access points in bigger offices; at least three so one bad radio is a part of its building, not all. */
function countFor(b: Building): number {
  return Math.max(3, Math.round(b.weight * 16));
}

/** Built on first use: networks.ts and this file import each other. */
let byBuilding: Map<Building, AccessPoint[]> | undefined;
function catalog(): Map<Building, AccessPoint[]> {
  byBuilding ??= new Map(
    buildings.map((b) => {
      const code = b.name.toUpperCase().replace(/[^A-Z]+/g, '-');
      const aps = Array.from({ length: countFor(b) }, (_, i) => ({
        name: `${code}-F${1 + Math.floor(i / 2)}-AP${String(i + 1).padStart(2, '0')}`,
        building: b,
        floor: 1 + Math.floor(i / 2),
        bssid24: `9c:53:22:${hex2(b.block)}:${hex2(i + 1)}:24`,
        bssid5: `9c:53:22:${hex2(b.block)}:${hex2(i + 1)}:50`,
      }));
      return [b, aps] as const;
    }),
  );
  return byBuilding;
}

export function accessPointsOf(building: Building): readonly AccessPoint[] {
  return catalog().get(building) ?? [];
}

export function allAccessPoints(): AccessPoint[] {
  return [...catalog().values()].flat();
}

/** The access-point file `calltrove access-points import` reads, with its header line. */
export function accessPointsCsv(): string {
  const rows = ['BSSID,APName,BuildingName,Floor'];
  for (const ap of allAccessPoints())
    for (const bssid of [ap.bssid24, ap.bssid5])
      rows.push([bssid, ap.name, ap.building.name, ap.floor].join(','));
  return `${rows.join('\n')}\n`;
}
