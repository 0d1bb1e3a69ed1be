// CQD's building data file (tenant data upload): parse and check it, then map an endpoint's IP/subnet to its building.
import { CalltroveError } from '../errors.ts';
import { csvRow, unneutralizeFormula } from '../format/csv.ts';
import type { AssetMap } from './asset-files.ts';
import { type IpRange, ipRange, parseIp } from './ip.ts';

export const buildingColumns = [
  'NetworkIP',
  'NetworkName',
  'NetworkRange',
  'BuildingName',
  'OwnershipType',
  'BuildingType',
  'BuildingOfficeType',
  'City',
  'ZipCode',
  'Country',
  'State',
  'Region',
  'InsideCorp',
  'ExpressRoute',
  'VPN',
] as const;

export interface Building {
  networkIp: string;
  networkName: string;
  networkRange: number;
  buildingName: string;
  ownershipType: string;
  buildingType: string;
  buildingOfficeType: string;
  city: string;
  zipCode: string;
  country: string;
  state: string;
  region: string;
  insideCorp: boolean;
  expressRoute: boolean;
  vpn: boolean;
}

export interface BuildingProblem {
  line: number;
  column?: (typeof buildingColumns)[number];
  message: string;
}

/** A building file that cannot be loaded; `problems` lists every line and column at fault. */
export class BuildingFileError extends CalltroveError {
  readonly problems: BuildingProblem[];
  constructor(problems: BuildingProblem[]) {
    const shown = problems
      .slice(0, 20)
      .map((p) => `  line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const more = problems.length > 20 ? [`  ... and ${problems.length - 20} more`] : [];
    super(
      'bad_input',
      `building file has ${problems.length} problem(s):\n${[...shown, ...more].join('\n')}`,
      {
        hint: `each line holds 15 values separated by commas or tabs, no header: ${buildingColumns.join(', ')} (VPN may be left off)`,
      },
    );
    this.problems = problems;
  }
}

/** IPv4 ranges CQD accepts; IPv6 networks up to /64 (a /64 is one LAN there). */
const rangeLimits = { 4: [8, 28], 6: [8, 64] } as const;

/** Splits one line on the delimiter; a value in double quotes may hold the delimiter ("" is a quote). */
export function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      const next = line.indexOf(delimiter, i);
      out.push(value + (next < 0 ? line.slice(i) : line.slice(i, next)));
      if (next < 0) return out;
      i = next + 1;
    } else {
      const next = line.indexOf(delimiter, i);
      if (next < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, next));
      i = next + 1;
    }
  }
}

function flag(value: string, line: number, column: BuildingProblem['column'], problems: BuildingProblem[]) {
  if (value === '0' || value === '1') return value === '1';
  problems.push({ line, column, message: `"${value}" is not 0 or 1; write 1 for yes and 0 for no` });
  return false;
}

export interface ParsedBuildingFile {
  buildings: Building[];
  /** The first line was a header row (NetworkIP,...) and was skipped. */
  skippedHeader: boolean;
}

/** Parses a CQD building file (CSV or TSV); throws BuildingFileError naming every bad line and column. */
export function parseBuildingFile(text: string): ParsedBuildingFile {
  const problems: BuildingProblem[] = [];
  const buildings: Building[] = [];
  const ranges: { range: IpRange; line: number }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let skippedHeader = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const delimiter = raw.includes('\t') ? '\t' : ',';
    // A cell this program wrote as `'=x` (formula neutralization) reads back as `=x`.
    const cells = splitLine(raw, delimiter).map((c) => unneutralizeFormula(c.trim()));
    if (buildings.length === 0 && !skippedHeader && /^network\s*ip$/i.test(cells[0])) {
      skippedHeader = true;
      return;
    }
    if (cells.length !== 14 && cells.length !== 15) {
      problems.push({
        line,
        message: `has ${cells.length} values, expected 15 (or 14 without VPN); empty values still need their ${delimiter === '\t' ? 'tab' : 'comma'}`,
      });
      return;
    }
    const before = problems.length;
    const ip = parseIp(cells[0]);
    if (!ip)
      problems.push({ line, column: 'NetworkIP', message: `"${cells[0]}" is not an IPv4 or IPv6 address` });
    const prefix = /^\d+$/.test(cells[2]) ? Number(cells[2]) : Number.NaN;
    const [lo, hi] = rangeLimits[ip?.family ?? 4];
    if (!(prefix >= lo && prefix <= hi))
      problems.push({
        line,
        column: 'NetworkRange',
        message: `"${cells[2]}" is not a prefix length from ${lo} to ${hi}${ip?.family === 6 ? ' for IPv6' : ''}`,
      });
    if (cells[3] === '')
      problems.push({ line, column: 'BuildingName', message: 'is empty; name the building' });
    const insideCorp = flag(cells[12], line, 'InsideCorp', problems);
    const expressRoute = flag(cells[13], line, 'ExpressRoute', problems);
    const vpn = cells.length === 15 && cells[14] !== '' ? flag(cells[14], line, 'VPN', problems) : false;
    if (problems.length > before || !ip) return;
    const range = ipRange(ip, prefix);
    if (range.start !== ip.value) {
      problems.push({
        line,
        column: 'NetworkIP',
        message: `${cells[0]} has host bits set for /${prefix}; use the network address ${range.startText}`,
      });
      return;
    }
    ranges.push({ range, line });
    buildings.push({
      networkIp: range.startText,
      networkName: cells[1],
      networkRange: prefix,
      buildingName: cells[3],
      ownershipType: cells[4],
      buildingType: cells[5],
      buildingOfficeType: cells[6],
      city: cells[7],
      zipCode: cells[8],
      country: cells[9],
      state: cells[10],
      region: cells[11],
      insideCorp,
      expressRoute,
      vpn,
    });
  });
  // Overlaps: sorted by start, a range overlaps when it starts before the previous one (of its family) ends.
  const sorted = [...ranges].sort((a, b) =>
    a.range.family !== b.range.family
      ? a.range.family - b.range.family
      : a.range.start < b.range.start
        ? -1
        : 1,
  );
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev.range.family === cur.range.family && cur.range.start <= prev.range.end)
      problems.push({
        line: cur.line,
        column: 'NetworkIP',
        message: `${cur.range.text} overlaps ${prev.range.text} on line ${prev.line}; ranges must not overlap, split or remove one`,
      });
  }
  if (problems.length > 0) throw new BuildingFileError(problems.sort((a, b) => a.line - b.line));
  return { buildings, skippedHeader };
}

/** Looks up buildings by address: sorted, non-overlapping ranges per family, found by binary search. */
export interface BuildingMap {
  readonly size: number;
  /**
   * The building of an endpoint: a VPN row matches the endpoint's own IP address (VPN clients report odd
   * subnets, so CQD maps each address of a VPN range individually); otherwise the row whose range contains the
   * reported subnet (or the IP when no subnet was reported). Undefined for an unknown subnet.
   */
  lookup(ip: string | null | undefined, subnet?: string | null): Building | undefined;
  /** The access-point and endpoint files, when the store loaded them with the map (src/quality/asset-files.ts). */
  readonly assets?: AssetMap;
}

interface Index {
  starts: bigint[];
  ends: bigint[];
  rows: Building[];
}

function buildIndex(entries: { range: IpRange; building: Building }[]): Index {
  entries.sort((a, b) => (a.range.start < b.range.start ? -1 : a.range.start > b.range.start ? 1 : 0));
  return {
    starts: entries.map((e) => e.range.start),
    ends: entries.map((e) => e.range.end),
    rows: entries.map((e) => e.building),
  };
}

function find(index: Index, value: bigint): Building | undefined {
  let lo = 0;
  let hi = index.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.starts[mid] <= value) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && value <= index.ends[hi] ? index.rows[hi] : undefined;
}

export function createBuildingMap(buildings: readonly Building[], assets?: AssetMap): BuildingMap {
  const all: Record<4 | 6, { range: IpRange; building: Building }[]> = { 4: [], 6: [] };
  const vpn: Record<4 | 6, { range: IpRange; building: Building }[]> = { 4: [], 6: [] };
  for (const b of buildings) {
    const ip = parseIp(b.networkIp);
    if (!ip) continue;
    const entry = { range: ipRange(ip, b.networkRange), building: b };
    all[ip.family].push(entry);
    if (b.vpn) vpn[ip.family].push(entry);
  }
  const allIdx = { 4: buildIndex(all[4]), 6: buildIndex(all[6]) };
  const vpnIdx = { 4: buildIndex(vpn[4]), 6: buildIndex(vpn[6]) };
  const hasVpn = vpn[4].length + vpn[6].length > 0;
  const cache = new Map<string, Building | null>();
  return {
    size: buildings.length,
    ...(assets ? { assets } : {}),
    lookup(ipText, subnetText) {
      const key = `${ipText ?? ''}|${subnetText ?? ''}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit ?? undefined;
      let found: Building | undefined;
      const ip = ipText ? parseIp(ipText) : undefined;
      if (hasVpn && ip) found = find(vpnIdx[ip.family], ip.value);
      if (!found) {
        const subnet = subnetText ? parseIp(subnetText.replace(/\/\d+$/, '')) : undefined;
        const target = subnet ?? ip;
        if (target) found = find(allIdx[target.family], target.value);
      }
      if (cache.size > 100_000) cache.clear();
      cache.set(key, found ?? null);
      return found;
    },
  };
}

/** Writes buildings back in the file layout (CSV, VPN column included). */
export function formatBuildingFile(buildings: readonly Building[]): string {
  return buildings
    .map((b) =>
      csvRow([
        b.networkIp,
        b.networkName,
        String(b.networkRange),
        b.buildingName,
        b.ownershipType,
        b.buildingType,
        b.buildingOfficeType,
        b.city,
        b.zipCode,
        b.country,
        b.state,
        b.region,
        b.insideCorp ? '1' : '0',
        b.expressRoute ? '1' : '0',
        b.vpn ? '1' : '0',
      ]),
    )
    .join('\n');
}
