// THE ingest pipeline for one call record: (transform) -> parse -> normalize -> store. Used by `import` and the collector.
import { GraphParseError } from '../graph/parse.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import { mergeSameVersion } from '../store/merge-raw.ts';
import type { SaveInput, SaveManyOptions, SaveOutcome } from '../store/records.ts';
import type { Store } from '../store/store.ts';

export type { SaveOutcome };

export interface IngestMeta {
  /** Where the record came from (file path + position, `graph`); named in every error. */
  source: string;
  /** The tenant whose Graph returned the record: decides organizer vs participant view. */
  tenantId?: string;
  /** Epoch ms it was received (default: now). */
  receivedAt?: number;
  /**
   * A privacy hook (pseudonymization) applied to the record JSON before anything is parsed or stored. It must
   * not modify its argument: a changed record is a new object, and returning the argument itself means
   * "unchanged" (then the text as read is kept as the raw copy).
   */
  transform?: (record: Record<string, unknown>) => Record<string, unknown>;
  /** JSON path of the record inside its source, for errors (`$.value[3]`); default `$`. */
  jsonPath?: string;
  /** The record's JSON text as read: its raw copy when no transform changed the record (no re-serializing). */
  text?: Uint8Array;
}

export interface IngestResult {
  id: string;
  version: number;
  outcome: SaveOutcome;
}

/**
 * Parses, normalizes and saves one call record. Throws GraphParseError (naming source and JSON path, never
 * values) for input that is not a valid call record; nothing is written then.
 */
export async function ingestRecord(store: Store, json: unknown, meta: IngestMeta): Promise<IngestResult> {
  const input = prepareRecord(json, meta);
  const outcome = await store.records.save(input);
  return { id: input.rows.call.id, version: input.rows.call.version, outcome };
}

/** The parse -> transform -> normalize half of ingestRecord: what store.records.save/saveMany take. Throws on bad input. */
export function prepareRecord(json: unknown, meta: IngestMeta): SaveInput {
  const base = meta.jsonPath ?? '$';
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new GraphParseError(meta.source, base, 'expected a call record object');
  const kept = meta.transform
    ? meta.transform(json as Record<string, unknown>)
    : (json as Record<string, unknown>);
  // A transform that changed nothing returns its input (the privacy transform does): the text read still holds.
  return keptInput(kept, meta, base, kept === json ? meta.text : undefined);
}

function keptInput(
  kept: Record<string, unknown>,
  meta: IngestMeta,
  base: string,
  text?: Uint8Array,
): SaveInput {
  const receivedAt = meta.receivedAt ?? Date.now();
  const { rows } = rowsFromJson(kept, { source: meta.source, tenantId: meta.tenantId, receivedAt }, base);
  return { json: kept, rows, text, source: meta.source, tenantId: meta.tenantId ?? null, receivedAt };
}

/**
 * Saves prepared records in one transaction; when that fails, each is saved on its own so one bad record costs
 * only itself. Returns each record's result or error, in order.
 */
export async function saveBatch(
  store: Store,
  inputs: readonly SaveInput[],
  options?: SaveManyOptions,
): Promise<Array<IngestResult | { error: unknown }>> {
  const result = (input: SaveInput, outcome: SaveOutcome): IngestResult => ({
    id: input.rows.call.id,
    version: input.rows.call.version,
    outcome,
  });
  try {
    if (inputs.length === 0) return [];
    const outcomes = await store.records.saveMany(inputs, options);
    return inputs.map((input, i) => result(input, outcomes[i]));
  } catch {
    const out: Array<IngestResult | { error: unknown }> = [];
    for (const input of inputs) {
      try {
        out.push(result(input, await store.records.save(input)));
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
  const kept = mergeSameVersion(stored, meta.transform ? meta.transform(piece) : piece);
  const input = keptInput(kept, meta, meta.jsonPath ?? '$');
  const outcome = await store.records.save(input);
  return { id: input.rows.call.id, version: input.rows.call.version, outcome };
}
