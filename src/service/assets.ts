// The access-point file and CQD's endpoint file: read as imported (any caller: organisational network and asset
// data, about no one), replaced by an owner's import that rebuilds the stream facts and rollups.
import {
  type AccessPoint,
  type EndpointAsset,
  parseAccessPointFile,
  parseEndpointFile,
} from '../quality/asset-files.ts';
import type { AssetImport } from '../store/assets.ts';
import { type Principal, requireOwner } from './principal.ts';
import type { Service } from './service.ts';

export function accessPointList(s: Service): Promise<AccessPoint[]> {
  return s.store.assets.accessPoints();
}

export function endpointAssetList(s: Service): Promise<EndpointAsset[]> {
  return s.store.assets.endpoints();
}

export interface AssetImportResult extends AssetImport {
  rows: number;
  skippedHeader: boolean;
}

/**
 * Parses the access-point file (throwing AssetFileError naming every bad line and column before anything
 * changes), then replaces it and recomputes every stream's facts and every rollup in one transaction.
 */
export async function importAccessPointFile(
  s: Service,
  who: Principal,
  text: string,
  o: { onProgress?: (calls: number) => void } = {},
): Promise<AssetImportResult> {
  requireOwner(who, 'importing an access-point file');
  const { accessPoints, skippedHeader } = parseAccessPointFile(text);
  const rebuilt = await s.store.assets.replaceAccessPoints(accessPoints, o);
  return { rows: accessPoints.length, skippedHeader, ...rebuilt };
}

/** The same for CQD's endpoint data file. */
export async function importEndpointFile(
  s: Service,
  who: Principal,
  text: string,
  o: { onProgress?: (calls: number) => void } = {},
): Promise<AssetImportResult> {
  requireOwner(who, 'importing an endpoint file');
  const { endpoints, skippedHeader } = parseEndpointFile(text);
  const rebuilt = await s.store.assets.replaceEndpoints(endpoints, o);
  return { rows: endpoints.length, skippedHeader, ...rebuilt };
}
