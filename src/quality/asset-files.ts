// The access-point file (BSSID → AP name, building, floor) and CQD's endpoint data file (endpoint name → model,
// type, labels): parsed and checked like the building file (every bad line and column named), then looked up.
import { CalltroveError } from '../errors.ts';
import { csvRow, unneutralizeFormula } from '../format/csv.ts';
import { splitLine } from './buildings.ts';

export const accessPointColumns = ['BSSID', 'APName', 'BuildingName', 'Floor'] as const;
export const endpointColumns = [
  'EndpointName',
  'EndpointModel',
  'EndpointType',
  'EndpointLabel1',
  'EndpointLabel2',
  'EndpointLabel3',
] as const;

export interface AccessPoint {
  /** Normalized: lowercase hex pairs joined by colons (`00:11:22:aa:bb:cc`). */
  bssid: string;
  name: string;
  building: string;
  floor: string;
}

export interface EndpointAsset {
  name: string;
  model: string;
  type: string;
  label1: string;
  label2: string;
  label3: string;
}

export interface AssetProblem {
  line: number;
  column?: string;
  message: string;
}

/** An access-point or endpoint file that cannot be loaded; `problems` lists every line and column at fault. */
export class AssetFileError extends CalltroveError {
  readonly problems: AssetProblem[];
  constructor(file: string, problems: AssetProblem[], hint: string) {
    const shown = problems
      .slice(0, 20)
      .map((p) => `  line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const more = problems.length > 20 ? [`  ... and ${problems.length - 20} more`] : [];
    super('bad_input', `${file} has ${problems.length} problem(s):\n${[...shown, ...more].join('\n')}`, {
      hint,
    });
    this.problems = problems;
  }
}

/**
 * A BSSID in the one spelling calltrove stores and compares: separators (`:`, `-`, `.`, spaces) dropped, case
 * folded, six lowercase hex pairs joined by colons. Undefined for anything that is not 12 hex digits.
 */
export function normalizeBssid(text: string | null | undefined): string | undefined {
  const hex = (text ?? '').replace(/[\s:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)?.join(':');
}

/** Non-empty lines as trimmed cells (tab-separated when the line holds a tab, else commas), with line numbers. */
function rowsOf(text: string): { line: number; cells: string[]; delimiter: string }[] {
  const out: { line: number; cells: string[]; delimiter: string }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (raw.trim() === '') return;
      const delimiter = raw.includes('\t') ? '\t' : ',';
      // A cell this program wrote as `'=x` (formula neutralization) reads back as `=x`.
      out.push({
        line: index + 1,
        cells: splitLine(raw, delimiter).map((c) => unneutralizeFormula(c.trim())),
        delimiter,
      });
    });
  return out;
}

const sep = (delimiter: string) => (delimiter === '\t' ? 'tab' : 'comma');

export interface ParsedAccessPointFile {
  accessPoints: AccessPoint[];
  skippedHeader: boolean;
}

/** Parses `BSSID,APName,BuildingName,Floor` (CSV or TSV, header optional, Floor may be left off). */
export function parseAccessPointFile(text: string): ParsedAccessPointFile {
  const problems: AssetProblem[] = [];
  const accessPoints: AccessPoint[] = [];
  const seen = new Map<string, number>();
  let skippedHeader = false;
  for (const { line, cells, delimiter } of rowsOf(text)) {
    if (accessPoints.length === 0 && !skippedHeader && /^bssid$/i.test(cells[0])) {
      skippedHeader = true;
      continue;
    }
    if (cells.length !== 3 && cells.length !== 4) {
      problems.push({
        line,
        message: `has ${cells.length} values, expected 4 (or 3 without Floor); empty values still need their ${sep(delimiter)}`,
      });
      continue;
    }
    const before = problems.length;
    const bssid = normalizeBssid(cells[0]);
    if (!bssid)
      problems.push({
        line,
        column: 'BSSID',
        message: 'is not a BSSID: six hex pairs such as 00:11:22:aa:bb:cc or 00-11-22-AA-BB-CC',
      });
    if (cells[1] === '')
      problems.push({ line, column: 'APName', message: 'is empty; name the access point' });
    if (bssid && seen.has(bssid))
      problems.push({
        line,
        column: 'BSSID',
        message: `repeats the BSSID of line ${seen.get(bssid)}; each access point once`,
      });
    if (problems.length > before || !bssid) continue;
    seen.set(bssid, line);
    accessPoints.push({ bssid, name: cells[1], building: cells[2], floor: cells[3] ?? '' });
  }
  if (problems.length > 0)
    throw new AssetFileError(
      'access-point file',
      problems,
      `each line holds ${accessPointColumns.join(', ')} separated by commas or tabs (header optional, Floor may be left off)`,
    );
  return { accessPoints, skippedHeader };
}

export interface ParsedEndpointFile {
  endpoints: EndpointAsset[];
  skippedHeader: boolean;
}

/**
 * Parses CQD's endpoint data file: EndpointName, EndpointModel, EndpointType, EndpointLabel1–3, no header (a
 * header row is skipped anyway), tab- or comma-separated; trailing empty labels may be left off.
 */
export function parseEndpointFile(text: string): ParsedEndpointFile {
  const problems: AssetProblem[] = [];
  const endpoints: EndpointAsset[] = [];
  const seen = new Map<string, number>();
  let skippedHeader = false;
  for (const { line, cells, delimiter } of rowsOf(text)) {
    if (endpoints.length === 0 && !skippedHeader && /^endpoint\s*name$/i.test(cells[0])) {
      skippedHeader = true;
      continue;
    }
    if (cells.length < 3 || cells.length > 6) {
      problems.push({
        line,
        message: `has ${cells.length} values, expected 6 (3 to 6: labels may be left off); empty values still need their ${sep(delimiter)}`,
      });
      continue;
    }
    const key = cells[0].toLowerCase();
    if (cells[0] === '') {
      problems.push({ line, column: 'EndpointName', message: 'is empty; give the endpoint (device) name' });
      continue;
    }
    if (seen.has(key)) {
      problems.push({
        line,
        column: 'EndpointName',
        message: `repeats the endpoint of line ${seen.get(key)}; each endpoint once`,
      });
      continue;
    }
    seen.set(key, line);
    endpoints.push({
      name: cells[0],
      model: cells[1],
      type: cells[2],
      label1: cells[3] ?? '',
      label2: cells[4] ?? '',
      label3: cells[5] ?? '',
    });
  }
  if (problems.length > 0)
    throw new AssetFileError(
      'endpoint file',
      problems,
      `each line holds ${endpointColumns.join(', ')} separated by tabs or commas, no header`,
    );
  return { endpoints, skippedHeader };
}

/** The two files as lookups: an access point by any spelling of its BSSID, an endpoint by name (any case). */
export interface AssetMap {
  readonly accessPoints: number;
  readonly endpoints: number;
  accessPoint(bssid: string | null | undefined): AccessPoint | undefined;
  endpoint(name: string | null | undefined): EndpointAsset | undefined;
}

export function createAssetMap(
  accessPoints: readonly AccessPoint[],
  endpoints: readonly EndpointAsset[],
): AssetMap {
  const aps = new Map(accessPoints.map((a) => [a.bssid, a]));
  const eps = new Map(endpoints.map((e) => [e.name.toLowerCase(), e]));
  return {
    accessPoints: aps.size,
    endpoints: eps.size,
    accessPoint: (bssid) => {
      const key = aps.size ? normalizeBssid(bssid) : undefined;
      return key ? aps.get(key) : undefined;
    },
    endpoint: (name) => (name && eps.size ? eps.get(name.toLowerCase()) : undefined),
  };
}

export function formatAccessPointFile(list: readonly AccessPoint[]): string {
  return list.map((a) => csvRow([a.bssid, a.name, a.building, a.floor])).join('\n');
}

export function formatEndpointFile(list: readonly EndpointAsset[]): string {
  return list.map((e) => csvRow([e.name, e.model, e.type, e.label1, e.label2, e.label3])).join('\n');
}
