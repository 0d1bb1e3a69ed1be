// Replaces the building map from a CQD building file and rebuilds the rollups, whose building dimensions change.
import { type Building, parseBuildingFile } from '../quality/buildings.ts';
import { replaceBuildings } from '../store/buildings.ts';
import type { Db } from '../store/db.ts';
import { rebuildRollups } from '../store/rollups.ts';

export interface BuildingImportResult {
  rows: number;
  buildings: number;
  vpnRows: number;
  skippedHeader: boolean;
  calls: number;
  streams: number;
  /** Streams whose client end now maps to a building, and those on subnets no row covers. */
  mappedStreams: number;
  unknownStreams: number;
}

/**
 * Parses the file (throwing BuildingFileError naming every bad line before anything changes), then in one
 * transaction replaces the map and recomputes every stream's building and every rollup.
 */
export async function importBuildings(
  db: Db,
  text: string,
  options: { onProgress?: (calls: number) => void } = {},
): Promise<BuildingImportResult> {
  const { buildings, skippedHeader } = parseBuildingFile(text);
  return db.transaction(async (tx) => {
    await replaceBuildings(tx, buildings);
    const rebuilt = await rebuildRollups(tx, options);
    const mapped = await tx.get<{ mapped: number; unknown: number }>(
      "SELECT SUM(CASE WHEN building <> '' THEN 1 ELSE 0 END) AS mapped, SUM(CASE WHEN building = '' THEN 1 ELSE 0 END) AS unknown FROM stream_facts",
    );
    return {
      rows: buildings.length,
      buildings: new Set(buildings.map((b: Building) => b.buildingName)).size,
      vpnRows: buildings.filter((b) => b.vpn).length,
      skippedHeader,
      calls: rebuilt.calls,
      streams: rebuilt.streams,
      mappedStreams: Number(mapped?.mapped ?? 0),
      unknownStreams: Number(mapped?.unknown ?? 0),
    };
  });
}
