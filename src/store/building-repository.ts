// The building map repository: `buildings import` replaces the map and rebuilds the rollups in one transaction.
import type { Building, BuildingMap } from '../quality/buildings.ts';
import { listBuildings, loadBuildingMap, replaceBuildings } from './buildings.ts';
import type { Db } from './db.ts';
import { rebuildRollups } from './rollups.ts';

export interface BuildingImport {
  calls: number;
  streams: number;
  /** Streams whose client end now maps to a building, and those on subnets no row covers. */
  mappedStreams: number;
  unknownStreams: number;
}

export interface BuildingRepository {
  /** The map in file order. */
  list(): Promise<Building[]>;
  /** The current lookup; re-read only when another import has changed the map. */
  map(): Promise<BuildingMap>;
  /** In one transaction: replaces the map and recomputes every stream's building and every rollup. */
  replace(
    buildings: readonly Building[],
    o?: { onProgress?: (calls: number) => void },
  ): Promise<BuildingImport>;
}

export function createBuildingRepository(db: Db): BuildingRepository {
  return {
    list: () => listBuildings(db),
    map: () => loadBuildingMap(db),
    replace: (buildings, o = {}) =>
      db.transaction(async (tx) => {
        await replaceBuildings(tx, buildings);
        const rebuilt = await rebuildRollups(tx, o);
        const mapped = await tx.get<{ mapped: number; unknown: number }>(
          "SELECT SUM(CASE WHEN building <> '' THEN 1 ELSE 0 END) AS mapped, SUM(CASE WHEN building = '' THEN 1 ELSE 0 END) AS unknown FROM stream_facts",
        );
        return {
          calls: rebuilt.calls,
          streams: rebuilt.streams,
          mappedStreams: Number(mapped?.mapped ?? 0),
          unknownStreams: Number(mapped?.unknown ?? 0),
        };
      }),
  };
}
