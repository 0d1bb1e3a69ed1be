// The CPU half of import, for one unit of input (an NDJSON line or a whole file): parse, transform, validate,
// normalize, stream facts and rollup deltas, raw copy. Pure (no database), so worker threads run it too.
import { GraphParseError } from '../graph/parse.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import type { CallRow } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { type RecordFacts, recordFacts } from '../store/ingest-rollups.ts';
import { type RawCopy, rawCopyOf } from '../store/raw-copy.ts';
import type { Cells } from '../store/rollup-cells.ts';
import { packRows, type TableValues } from '../store/row-values.ts';
import type { IngestMeta } from './ingest-record.ts';
import { type InputItem, type InputUnit, itemsOfUnit } from './read-input.ts';

/** A call record ready to write: rows in column order, facts, raw copy. */
export interface PreparedRecord {
  source: string;
  jsonPath: string;
  call: CallRow;
  values: TableValues;
  facts: RecordFacts;
  raw: RawCopy;
  tenantId: string | null;
  receivedAt: number;
}

/** What a unit held: prepared records, records that failed (the message names file and JSON path), the rest. */
export type PreparedItem =
  | { kind: 'prepared'; record: PreparedRecord }
  | { kind: 'failed'; message: string }
  | Exclude<InputItem, { kind: 'record' }>;

export interface PrepareContext {
  tenantId?: string;
  transform?: IngestMeta['transform'];
  buildings: BuildingMap;
}

/** The message of a record that could not be prepared or stored: where, never its values. */
export function problemOf(err: unknown, source: string, jsonPath: string): string {
  if (err instanceof GraphParseError) return err.message;
  // Database and other errors: name the record's place; driver messages carry no record values.
  return `${source}: ${jsonPath}: could not be stored (${(err as Error)?.message ?? String(err)})`;
}

function prepareRecord(
  item: Extract<InputItem, { kind: 'record' }>,
  ctx: PrepareContext,
  receivedAt: number,
  cells: Cells,
): PreparedRecord {
  const json = item.json;
  const base = item.jsonPath;
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new GraphParseError(item.source, base, 'expected a call record object');
  const kept = ctx.transform
    ? ctx.transform(json as Record<string, unknown>)
    : (json as Record<string, unknown>);
  const { rows } = rowsFromJson(kept, { source: item.source, tenantId: ctx.tenantId, receivedAt }, base);
  const packed = packRows(rows);
  // A transform that changed nothing returns its input: the text as read is the raw copy (no re-serializing).
  const raw = rawCopyOf(kept === json && item.text ? item.text : JSON.stringify(kept));
  // Last: nothing may fail once this record's deltas are counted.
  const facts = recordFacts(rows, ctx.buildings, cells);
  return {
    source: item.source,
    jsonPath: base,
    call: packed.call,
    values: packed.values,
    facts,
    raw,
    tenantId: ctx.tenantId ?? null,
    receivedAt,
  };
}

/**
 * Prepares everything a unit holds; the rollup deltas of its prepared records are added to `cells`. Never
 * throws for bad input: a record that cannot be read is a `failed` item and the others go on.
 */
export function prepareUnit(
  unit: InputUnit,
  ctx: PrepareContext,
  receivedAt: number,
  cells: Cells,
): PreparedItem[] {
  const out: PreparedItem[] = [];
  for (const item of itemsOfUnit(unit)) {
    if (item.kind !== 'record') {
      out.push(item);
      continue;
    }
    try {
      out.push({ kind: 'prepared', record: prepareRecord(item, ctx, receivedAt, cells) });
    } catch (err) {
      out.push({ kind: 'failed', message: problemOf(err, item.source, item.jsonPath) });
    }
  }
  return out;
}
