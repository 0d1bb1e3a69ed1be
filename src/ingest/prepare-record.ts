// THE record pipeline, for import, the collector and reprocess alike: one call record's JSON -> privacy transform
// -> validate and normalize -> rows in column order -> raw copy -> stream facts and their rollup deltas. Pure (no
// database): what it returns is what the record repository writes.
import { GraphParseError } from '../graph/parse.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import type { ValueWarning } from '../normalize/plausibility.ts';
import type { CallRow } from '../normalize/rows.ts';
import type { RecordTransform } from '../privacy/ingest-transform.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { type RecordFacts, recordFacts } from '../store/ingest-rollups.ts';
import { type JsonText, type RawCopy, rawCopyOf } from '../store/raw-copy.ts';
import type { Prepare, SaveInput } from '../store/records.ts';
import type { Cells } from '../store/rollup-cells.ts';
import { packRows, type TableValues } from '../store/row-values.ts';

export interface RecordMeta {
  /** Where the record came from (file path + position, `graph`); named in every error. */
  source: string;
  /** JSON path of the record inside its source, for errors (`$.value[3]`); default `$`. */
  jsonPath?: string;
  /** The tenant whose Graph returned the record: decides organizer vs participant view. */
  tenantId?: string | null;
  /** Epoch ms it was received. */
  receivedAt: number;
  /** The record's JSON text as read: its raw copy when no transform changed the record (no re-serializing). */
  text?: JsonText;
}

export interface PrepareOptions {
  /**
   * A privacy hook (pseudonymization) applied to the record JSON before anything is parsed or stored. It must
   * not modify its argument: a changed record is a new object, and returning the argument itself means
   * "unchanged" (then the text as read is kept as the raw copy).
   */
  transform?: RecordTransform;
  /** The building map the stream facts are placed with (Store.buildings.map()). */
  buildings: BuildingMap;
  /** Where the record's rollup deltas are added up, when several records are written in one batch. */
  cells?: Cells;
  /** false: no raw copy (the store rebuilding rows of a version it keeps); default true. */
  raw?: boolean;
}

/** A call record ready to write: rows in column order, facts, raw copy. */
export interface PreparedRecord {
  source: string;
  jsonPath: string;
  call: CallRow;
  values: TableValues;
  facts: RecordFacts;
  /** The raw copy (sha1, compressed text); absent when asked for none. */
  raw?: RawCopy;
  /** The map the facts were placed with: the repository places them again if the map changed since. */
  buildings: BuildingMap;
  tenantId: string | null;
  receivedAt: number;
  /** Impossible values stored as null (plausibility.ts), each a message naming record, JSON path and value. */
  warnings: string[];
}

/** A warning as import's summary and the collector's log show it: no text values (they may be EUII). */
export function warningMessage(source: string, recordId: string, w: ValueWarning): string {
  return `${source}: ${w.path}: call record ${recordId}: ${w.problem} (got ${w.value}); stored as null`;
}

/**
 * Prepares one call record. Throws GraphParseError (naming source and JSON path, never values) for input that is
 * not a valid call record; nothing is counted into `cells` then.
 */
export function prepareRecord(json: unknown, meta: RecordMeta, o: PrepareOptions): PreparedRecord {
  const jsonPath = meta.jsonPath ?? '$';
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new GraphParseError(meta.source, jsonPath, 'expected a call record object');
  const kept = o.transform ? o.transform(json as Record<string, unknown>) : (json as Record<string, unknown>);
  const tenantId = meta.tenantId ?? null;
  const { rows, warnings, fix } = rowsFromJson(
    kept,
    { source: meta.source, tenantId: tenantId ?? undefined, receivedAt: meta.receivedAt },
    jsonPath,
  );
  const packed = packRows(rows);
  // A transform that changed nothing returns its input: the text as read is the raw copy (no re-serializing).
  // Impossible values are nulled in the raw copy too, so the call view and reprocess never see them again.
  const raw =
    o.raw === false
      ? undefined
      : warnings.length > 0
        ? rawCopyOf(JSON.stringify(fix(kept)))
        : rawCopyOf(kept === json && meta.text !== undefined ? meta.text : JSON.stringify(kept));
  // Last: nothing may fail once this record's deltas are counted.
  const facts = recordFacts(rows, o.buildings, o.cells);
  return {
    source: meta.source,
    jsonPath,
    call: packed.call,
    values: packed.values,
    facts,
    raw,
    buildings: o.buildings,
    tenantId,
    receivedAt: meta.receivedAt,
    warnings: warnings.map((w) => warningMessage(meta.source, packed.call.id, w)),
  };
}

/** The pipeline as the record repository calls it back (a merge, a changed building map, reprocess). */
export const prepareAgain: Prepare = prepareRecord;

/** What the record repository takes for a prepared record. */
export function saveInputOf(r: PreparedRecord): SaveInput {
  return {
    rows: { packed: true, call: r.call, values: r.values },
    raw: r.raw,
    facts: { buildings: r.buildings, facts: r.facts },
    source: r.source,
    tenantId: r.tenantId,
    receivedAt: r.receivedAt,
  };
}

/** The message of a record that could not be prepared or stored: where, never its values. */
export function problemOf(err: unknown, source: string, jsonPath: string): string {
  if (err instanceof GraphParseError) return err.message;
  // Database and other errors: name the record's place; driver messages carry no record values.
  return `${source}: ${jsonPath}: could not be stored (${(err as Error)?.message ?? String(err)})`;
}
