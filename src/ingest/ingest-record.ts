// Saving call records through the one pipeline (prepare-record.ts): one record (the collector), a batch (import),
// a page of a stored record's sessions or participants, and reprocessing every stored record.
import { mergeSameVersion } from '../store/merge-raw.ts';
import type { ReprocessResult, SaveOutcome } from '../store/records.ts';
import type { Cells } from '../store/rollup-cells.ts';
import type { Store } from '../store/store.ts';
import {
  type PreparedRecord,
  prepareAgain,
  prepareRecord,
  type RecordMeta,
  saveInputOf,
} from './prepare-record.ts';

export type { SaveOutcome };

export interface IngestMeta extends RecordMeta {
  /** The privacy transform (prepare-record.ts PrepareOptions.transform). */
  transform?: (record: Record<string, unknown>) => Record<string, unknown>;
}

export interface IngestResult {
  id: string;
  version: number;
  outcome: SaveOutcome;
  /** Impossible values stored as null (prepare-record.ts warningMessage): for the summary or the log. */
  warnings: string[];
}

const resultOf = (r: PreparedRecord, outcome: SaveOutcome): IngestResult => ({
  id: r.call.id,
  version: r.call.version,
  outcome,
  warnings: r.warnings,
});

/**
 * Prepares and saves one call record. Throws GraphParseError (naming source and JSON path, never values) for
 * input that is not a valid call record; nothing is written then.
 */
export async function ingestRecord(store: Store, json: unknown, meta: IngestMeta): Promise<IngestResult> {
  const prepared = prepareRecord(json, meta, {
    transform: meta.transform,
    buildings: await store.buildings.map(),
  });
  return resultOf(prepared, await store.records.save(saveInputOf(prepared), prepareAgain));
}

/**
 * Saves prepared records in one transaction (their rollup deltas added up beforehand in `counted`); when that
 * fails, each is saved on its own so one bad record costs only itself. Returns each result or error, in order.
 */
export async function saveBatch(
  store: Store,
  records: readonly PreparedRecord[],
  counted?: Cells,
): Promise<Array<IngestResult | { error: unknown }>> {
  if (records.length === 0) return [];
  try {
    const outcomes = await store.records.saveMany(records.map(saveInputOf), {
      prepare: prepareAgain,
      counted,
    });
    return records.map((r, i) => resultOf(r, outcomes[i]));
  } catch {
    const out: Array<IngestResult | { error: unknown }> = [];
    for (const r of records) {
      try {
        out.push(resultOf(r, await store.records.save(saveInputOf(r), prepareAgain)));
      } catch (error) {
        out.push({ error });
      }
    }
    return out;
  }
}

/**
 * A page of one stored record's sessions or participants_v2 (fetched separately, as Graph pages them): merged into
 * the record's newest stored version. Undefined when that record is not stored (import the record first).
 */
export async function ingestRecordPart(
  store: Store,
  part: { recordId: string; property: 'sessions' | 'participants_v2'; values: unknown[] },
  meta: IngestMeta,
): Promise<IngestResult | undefined> {
  const stored = await store.records.rawJson(part.recordId);
  if (!stored) return undefined;
  // The record's times ride along so the privacy transform can tell the page's age: a page of an old record
  // is scrubbed as retention would (without them it would keep the names and ids the record no longer has).
  const piece: Record<string, unknown> = {
    id: stored.id,
    version: stored.version,
    startDateTime: stored.startDateTime,
    endDateTime: stored.endDateTime,
    [part.property]: part.values,
  };
  const merged = mergeSameVersion(stored, meta.transform ? meta.transform(piece) : piece);
  return ingestRecord(store, merged, { ...meta, transform: undefined, text: undefined });
}

/** Rebuilds every stored record's rows from its newest raw version, through the same pipeline. */
export function reprocessRecords(
  store: Store,
  options: { onProgress?: (done: number) => void } = {},
): Promise<ReprocessResult> {
  return store.records.reprocess(prepareAgain, options);
}
