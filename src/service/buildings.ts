// The building map (CQD's building data file): read as imported, replaced by an import that rebuilds the rollups.
import { type Building, parseBuildingFile } from '../quality/buildings.ts';
import type { BuildingImport } from '../store/building-repository.ts';
import { type Principal, requireOwner } from './principal.ts';
import type { Service } from './service.ts';

/** Networks and places, about no one: any caller. */
export async function buildingMap(s: Service): Promise<Building[]> {
  return s.store.buildings.list();
}

export interface BuildingImportResult extends BuildingImport {
  rows: number;
  buildings: number;
  vpnRows: number;
  skippedHeader: boolean;
}

/**
 * Parses the file (throwing BuildingFileError naming every bad line before anything changes), then replaces the
 * map and recomputes every stream's building and every rollup in one transaction.
 */
export async function importBuildingFile(
  s: Service,
  who: Principal,
  text: string,
  o: { onProgress?: (calls: number) => void } = {},
): Promise<BuildingImportResult> {
  requireOwner(who, 'importing a building file');
  const { buildings, skippedHeader } = parseBuildingFile(text);
  const rebuilt = await s.store.buildings.replace(buildings, o);
  return {
    rows: buildings.length,
    buildings: new Set(buildings.map((b) => b.buildingName)).size,
    vpnRows: buildings.filter((b) => b.vpn).length,
    skippedHeader,
    ...rebuilt,
  };
}
