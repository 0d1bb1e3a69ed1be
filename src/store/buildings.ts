// The building map's rows: replaced as a whole, read back as a cached lookup (building-repository.ts rebuilds the
// rollups with each import).
import { randomUUID } from 'node:crypto';
import { type Building, type BuildingMap, createBuildingMap } from '../quality/buildings.ts';
import { assetsVersionKey, loadAssetMap } from './asset-rows.ts';
import { type Db, insertMany, type ReadDb } from './db.ts';

const columns = [
  'idx',
  'network_ip',
  'network_name',
  'network_range',
  'building_name',
  'ownership_type',
  'building_type',
  'building_office_type',
  'city',
  'zip_code',
  'country',
  'state',
  'region',
  'inside_corp',
  'express_route',
  'vpn',
] as const;

type BuildingDbRow = Record<(typeof columns)[number], string | number>;

const versionKey = 'buildings_version';

/** Replaces the whole building map (inside the caller's transaction when given one). */
export async function replaceBuildings(db: Db, buildings: readonly Building[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM buildings');
    await insertMany(
      tx,
      'buildings',
      columns,
      buildings.map((b, i) => [
        i,
        b.networkIp,
        b.networkName,
        b.networkRange,
        b.buildingName,
        b.ownershipType,
        b.buildingType,
        b.buildingOfficeType,
        b.city,
        b.zipCode,
        b.country,
        b.state,
        b.region,
        b.insideCorp ? 1 : 0,
        b.expressRoute ? 1 : 0,
        b.vpn ? 1 : 0,
      ]),
    );
    // A new token tells every process's cached lookup that the map changed.
    await tx.run('DELETE FROM analytics_meta WHERE key = ?', [versionKey]);
    await tx.run('INSERT INTO analytics_meta (key, value) VALUES (?, ?)', [versionKey, randomUUID()]);
  });
}

export async function listBuildings(db: ReadDb): Promise<Building[]> {
  const rows = await db.all<BuildingDbRow>(`SELECT ${columns.join(',')} FROM buildings ORDER BY idx`);
  return rows.map((r) => ({
    networkIp: String(r.network_ip),
    networkName: String(r.network_name),
    networkRange: Number(r.network_range),
    buildingName: String(r.building_name),
    ownershipType: String(r.ownership_type),
    buildingType: String(r.building_type),
    buildingOfficeType: String(r.building_office_type),
    city: String(r.city),
    zipCode: String(r.zip_code),
    country: String(r.country),
    state: String(r.state),
    region: String(r.region),
    insideCorp: Number(r.inside_corp) === 1,
    expressRoute: Number(r.express_route) === 1,
    vpn: Number(r.vpn) === 1,
  }));
}

const cache = new Map<string, BuildingMap>();
const empty = createBuildingMap([]);

/**
 * The current building lookup, carrying the access-point and endpoint files (`assets`) when any is imported;
 * re-read only when another import has changed the map or the files.
 */
export async function loadBuildingMap(db: ReadDb): Promise<BuildingMap> {
  const rows = await db.all<{ key: string; value: string }>(
    'SELECT key, value FROM analytics_meta WHERE key IN (?, ?)',
    [versionKey, assetsVersionKey],
  );
  if (rows.length === 0) return empty;
  const token = (k: string) => rows.find((r) => r.key === k)?.value ?? '';
  const key = `${token(versionKey)}|${token(assetsVersionKey)}`;
  let map = cache.get(key);
  if (!map) {
    const [buildings, assets] = await Promise.all([
      listBuildings(db),
      token(assetsVersionKey) ? loadAssetMap(db) : undefined,
    ]);
    map = createBuildingMap(buildings, assets);
    if (cache.size > 8) cache.clear();
    cache.set(key, map);
  }
  return map;
}
