// The access-point and endpoint files' rows as stored, and both as one lookup (read with the building map).
import {
  type AccessPoint,
  type AssetMap,
  createAssetMap,
  type EndpointAsset,
} from '../quality/asset-files.ts';
import type { ReadDb } from './db.ts';

/** analytics_meta key whose token changes with every asset import (loadBuildingMap's cache key includes it). */
export const assetsVersionKey = 'assets_version';

export async function listAccessPoints(db: ReadDb): Promise<AccessPoint[]> {
  const rows = await db.all<{ bssid: string; ap_name: string; building_name: string; floor: string }>(
    'SELECT bssid, ap_name, building_name, floor FROM access_points ORDER BY idx',
  );
  return rows.map((r) => ({ bssid: r.bssid, name: r.ap_name, building: r.building_name, floor: r.floor }));
}

export async function listEndpointAssets(db: ReadDb): Promise<EndpointAsset[]> {
  const rows = await db.all<Record<string, string>>(
    'SELECT endpoint_name, endpoint_model, endpoint_type, label1, label2, label3 FROM endpoint_assets ORDER BY idx',
  );
  return rows.map((r) => ({
    name: r.endpoint_name,
    model: r.endpoint_model,
    type: r.endpoint_type,
    label1: r.label1,
    label2: r.label2,
    label3: r.label3,
  }));
}

/** Both files as one lookup (read when the building map is, under the same cache). */
export async function loadAssetMap(db: ReadDb): Promise<AssetMap> {
  const [aps, eps] = await Promise.all([listAccessPoints(db), listEndpointAssets(db)]);
  return createAssetMap(aps, eps);
}
