// CQD's missing-subnet report: subnets with at least 10 audio streams that no building row covers.
import { parseIp } from '../quality/ip.ts';
import { listBuildings } from '../store/buildings.ts';
import type { ReadDb } from '../store/db.ts';
import type { QualityRow, ReportWindow } from './quality-query.ts';
import { type QualityOptions, queryQuality, usersIf } from './query-quality.ts';

/** The /16 an IPv4 address lies in, as a number; undefined for IPv6 or garbage. */
function block16(text: string): bigint | undefined {
  const ip = parseIp(text);
  return ip?.family === 4 ? ip.value >> 16n : undefined;
}

/**
 * Rows: subnet, streams (audio), classifiedStreams, poorPercent, suggestedBuilding. A subnet inside the same
 * private /16 as a building's listed subnets is most likely that building's unlisted floor or VLAN: those come
 * first (with the building named) so the corporate gaps stand out from home networks; then by streams.
 */
export async function listMissingSubnets(
  db: ReadDb,
  o: ReportWindow & { minStreams?: number; limit?: number } = {},
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  const [rows, buildings] = await Promise.all([
    queryQuality(
      db,
      {
        by: ['subnet'],
        filters: { ...(o.filters ?? {}), 'media-type': ['audio'], building: [''] },
        since: o.since,
        until: o.until,
        measures: ['streams', 'classifiedStreams', 'poorPercent', ...usersIf(options)],
        orderBy: [{ key: 'streams', direction: 'desc' }],
      },
      options,
    ),
    listBuildings(db),
  ]);
  const nearby = new Map<bigint, string>();
  for (const b of buildings) {
    const k = block16(b.networkIp);
    if (k !== undefined && !b.vpn && !nearby.has(k)) nearby.set(k, b.buildingName);
  }
  const min = o.minStreams ?? 10;
  return rows
    .filter((r) => r.subnet !== null && Number(r.streams) >= min)
    .map((r) => {
      const k = block16(String(r.subnet));
      return { ...r, suggestedBuilding: (k !== undefined ? nearby.get(k) : undefined) ?? null };
    })
    .sort((a, b) => Number(b.suggestedBuilding !== null) - Number(a.suggestedBuilding !== null))
    .slice(0, o.limit ?? 100);
}
