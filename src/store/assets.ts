// The access-point and endpoint files' rows: each replaced as a whole, with the stream facts and rollups rebuilt
// in the same transaction (the building rebuild path), and read back with the building map as one cached lookup.
import { randomUUID } from 'node:crypto';
import type { AccessPoint, EndpointAsset } from '../quality/asset-files.ts';
import { assetsVersionKey, listAccessPoints, listEndpointAssets } from './asset-rows.ts';
import { type Db, insertMany } from './db.ts';
import { rebuildRollups } from './rollups.ts';

export interface AssetImport {
  calls: number;
  streams: number;
  /** Streams whose client end the imported file now names (an access point, an endpoint model or type). */
  matchedStreams: number;
}

export interface AssetRepository {
  accessPoints(): Promise<AccessPoint[]>;
  endpoints(): Promise<EndpointAsset[]>;
  /** In one transaction: replaces the access-point file and recomputes every stream's facts and every rollup. */
  replaceAccessPoints(
    list: readonly AccessPoint[],
    o?: { onProgress?: (calls: number) => void },
  ): Promise<AssetImport>;
  /** The same for CQD's endpoint file. */
  replaceEndpoints(
    list: readonly EndpointAsset[],
    o?: { onProgress?: (calls: number) => void },
  ): Promise<AssetImport>;
}

async function bumpVersion(tx: Db): Promise<void> {
  await tx.run('DELETE FROM analytics_meta WHERE key = ?', [assetsVersionKey]);
  await tx.run('INSERT INTO analytics_meta (key, value) VALUES (?, ?)', [assetsVersionKey, randomUUID()]);
}

async function matched(tx: Db, condition: string): Promise<number> {
  const row = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stream_facts WHERE ${condition}`);
  return Number(row?.n ?? 0);
}

export function createAssetRepository(db: Db): AssetRepository {
  const replace = (
    write: (tx: Db) => Promise<void>,
    condition: string,
    o: { onProgress?: (calls: number) => void },
  ) =>
    db.transaction(async (tx) => {
      await write(tx);
      await bumpVersion(tx);
      const rebuilt = await rebuildRollups(tx, o);
      return { ...rebuilt, matchedStreams: await matched(tx, condition) };
    });
  return {
    accessPoints: () => listAccessPoints(db),
    endpoints: () => listEndpointAssets(db),
    replaceAccessPoints: (list, o = {}) =>
      replace(
        async (tx) => {
          await tx.run('DELETE FROM access_points');
          await insertMany(
            tx,
            'access_points',
            ['idx', 'bssid', 'ap_name', 'building_name', 'floor'],
            list.map((a, i) => [i, a.bssid, a.name, a.building, a.floor]),
          );
        },
        "access_point <> ''",
        o,
      ),
    replaceEndpoints: (list, o = {}) =>
      replace(
        async (tx) => {
          await tx.run('DELETE FROM endpoint_assets');
          await insertMany(
            tx,
            'endpoint_assets',
            ['idx', 'endpoint_name', 'endpoint_model', 'endpoint_type', 'label1', 'label2', 'label3'],
            list.map((e, i) => [i, e.name, e.model, e.type, e.label1, e.label2, e.label3]),
          );
        },
        "(endpoint_model <> '' OR endpoint_type <> '')",
        o,
      ),
  };
}
