// CQD's missing-subnet report: subnets with at least 10 audio streams from the tenant's own users that no building
// row covers, each told apart as corporate (inside by the egress or DNS suffix its clients share with mapped
// inside-corp subnets: the genuine gaps, with the building they most likely belong to), carrier-grade NAT, home
// network on an ISP's DNS suffix, or other.
import { parseIp } from '../quality/ip.ts';
import { type CorporateSignature, classifySubnet, suffixKeys } from '../quality/subnet-kinds.ts';
import { listBuildings, loadBuildingMap } from '../store/buildings.ts';
import type { ReadDb, SqlValue } from '../store/db.ts';
import type { QualityRow, ReportWindow } from './quality-query.ts';
import { DAY, HOUR } from './quality-sources.ts';
import type { QualityOptions } from './query-quality.ts';

/** The /16 an IPv4 address lies in, as a number; undefined for IPv6 or garbage. */
function block16(text: string): bigint | undefined {
  const ip = parseIp(text);
  return ip?.family === 4 ? ip.value >> 16n : undefined;
}

export interface MissingSubnetOptions extends ReportWindow {
  minStreams?: number;
  limit?: number;
  /** The tenant whose users count (CQD counts the tenant's own users); without it every identified non-guest. */
  homeTenantId?: string | null;
}

const kindOrder = { corporate: 0, other: 1, home: 2, carrierNat: 3 } as const;

/** The window on a start-time column (`ms`), or on the facts' day (for the index) and hour buckets (`day`). */
function windowSql(alias: string, column: string, o: ReportWindow, unit: 'day' | 'ms'): [string, SqlValue[]] {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (o.since !== undefined) {
    if (unit === 'day') {
      parts.push(`${alias}.${column} >= ?`, `${alias}.hour >= ?`);
      params.push(Math.floor(o.since / DAY) * DAY, Math.floor(o.since / HOUR) * HOUR);
    } else {
      parts.push(`${alias}.${column} >= ?`);
      params.push(o.since);
    }
  }
  if (o.until !== undefined) {
    if (unit === 'day') {
      parts.push(`${alias}.${column} <= ?`, `${alias}.hour <= ?`);
      params.push(Math.floor((o.until - 1) / DAY) * DAY, Math.floor((o.until - 1) / HOUR) * HOUR);
    } else {
      parts.push(`${alias}.${column} < ?`);
      params.push(o.until);
    }
  }
  return [parts.map((p) => ` AND ${p}`).join(''), params];
}

/**
 * Rows: subnet, streams (audio, own users), classifiedStreams, poorPercent, users, kind (corporate, carrierNat,
 * home, other), insideBy (egress, dnsSuffix or both, for corporate), dnsSuffix (the one most reported),
 * suggestedBuilding; corporate gaps first, then by streams.
 */
export async function listMissingSubnets(
  db: ReadDb,
  o: MissingSubnetOptions = {},
  _options: QualityOptions = {},
): Promise<QualityRow[]> {
  const min = o.minStreams ?? 10;
  const [days, dayParams] = windowSql('f', 'day', o, 'day');
  const home = o.homeTenantId ?? null;
  const own = home
    ? 'f.user_id IN (SELECT p.identity_id FROM call_participants p WHERE p.tenant_id = ?)'
    : "f.user_id <> '' AND f.user_id NOT IN (SELECT p.identity_id FROM call_participants p WHERE p.kind = 'guest' AND p.identity_id IS NOT NULL)";
  const counted = await db.all<{
    subnet: string;
    streams: number;
    classified: number;
    poor: number;
    users: number;
  }>(
    `SELECT f.subnet AS subnet, COUNT(*) AS streams,
            SUM(CASE WHEN f.quality <> 'unclassified' THEN 1 ELSE 0 END) AS classified,
            SUM(CASE WHEN f.quality = 'poor' THEN 1 ELSE 0 END) AS poor,
            COUNT(DISTINCT f.user_id) AS users
     FROM stream_facts f
     WHERE f.media_type = 'audio' AND f.building = '' AND f.subnet <> ''${days} AND ${own}
     GROUP BY f.subnet HAVING COUNT(*) >= ?`,
    [...dayParams, ...(home ? [home] : []), min],
  );
  if (counted.length === 0) return [];
  // What the clients of each subnet reported: egress (reflexive) address and DNS suffix, in the same window.
  const [calls, callParams] = windowSql('c', 'start_time', o, 'ms');
  const seen = await db.all<{ subnet: string; egress: string | null; dns: string | null; n: number }>(
    `SELECT m.subnet AS subnet, m.reflexive_ip_address AS egress, m.dns_suffix AS dns, COUNT(*) AS n
     FROM call_media_endpoints m
     WHERE m.subnet IS NOT NULL AND (m.reflexive_ip_address IS NOT NULL OR m.dns_suffix IS NOT NULL)
       AND m.call_id IN (SELECT c.id FROM calls c WHERE 1 = 1${calls})
     GROUP BY m.subnet, m.reflexive_ip_address, m.dns_suffix`,
    callParams,
  );
  const [map, buildings] = await Promise.all([loadBuildingMap(db), listBuildings(db)]);
  const corp: CorporateSignature = { egress: new Map(), suffixes: new Map() };
  const evidence = new Map<string, { egress: Set<string>; dns: Map<string, number> }>();
  for (const r of seen) {
    const b = map.lookup(null, r.subnet);
    if (b?.insideCorp && !b.vpn) {
      if (r.egress && !corp.egress.has(r.egress)) corp.egress.set(r.egress, b.buildingName);
      for (const k of suffixKeys(r.dns)) if (!corp.suffixes.has(k)) corp.suffixes.set(k, b.buildingName);
      continue;
    }
    const e = evidence.get(r.subnet) ?? { egress: new Set(), dns: new Map() };
    if (r.egress) e.egress.add(r.egress);
    if (r.dns) e.dns.set(r.dns, (e.dns.get(r.dns) ?? 0) + Number(r.n));
    evidence.set(r.subnet, e);
  }
  const nearby = new Map<bigint, string>();
  for (const b of buildings) {
    const k = block16(b.networkIp);
    if (k !== undefined && !b.vpn && !nearby.has(k)) nearby.set(k, b.buildingName);
  }
  return counted
    .map((r): QualityRow => {
      const e = evidence.get(r.subnet);
      const dns = [...(e?.dns.entries() ?? [])].sort((a, b) => b[1] - a[1]).map(([d]) => d);
      const verdict = classifySubnet(
        { subnet: r.subnet, egress: [...(e?.egress ?? [])], dnsSuffixes: dns },
        corp,
      );
      const k = block16(r.subnet);
      const classified = Number(r.classified);
      return {
        subnet: r.subnet,
        streams: Number(r.streams),
        classifiedStreams: classified,
        poorPercent: classified ? (Number(r.poor) / classified) * 100 : null,
        users: Number(r.users),
        kind: verdict.kind,
        insideBy: verdict.insideBy,
        dnsSuffix: dns[0] ?? null,
        suggestedBuilding:
          verdict.kind === 'corporate'
            ? (verdict.building ?? (k !== undefined ? nearby.get(k) : undefined) ?? null)
            : null,
      };
    })
    .sort(
      (a, b) =>
        kindOrder[a.kind as keyof typeof kindOrder] - kindOrder[b.kind as keyof typeof kindOrder] ||
        Number(b.streams) - Number(a.streams) ||
        String(a.subnet).localeCompare(String(b.subnet)),
    )
    .slice(0, o.limit ?? 100);
}
