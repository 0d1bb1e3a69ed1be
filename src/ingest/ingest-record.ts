// THE ingest pipeline for one call record: (transform) -> parse -> normalize -> store. Used by `import` and the collector.
import { GraphParseError } from '../graph/parse.ts';
import { rowsFromJson } from '../normalize/from-json.ts';
import type { SaveOutcome } from '../store/records.ts';
import type { Store } from '../store/store.ts';

export type { SaveOutcome };

export interface IngestMeta {
  /** Where the record came from (file path + position, `graph`); named in every error. */
  source: string;
  /** The tenant whose Graph returned the record: decides organizer vs participant view. */
  tenantId?: string;
  /** Epoch ms it was received (default: now). */
  receivedAt?: number;
  /** A privacy hook (pseudonymization) applied to the record JSON before anything is parsed or stored. */
  transform?: (record: Record<string, unknown>) => Record<string, unknown>;
  /** JSON path of the record inside its source, for errors (`$.value[3]`); default `$`. */
  jsonPath?: string;
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
  const base = meta.jsonPath ?? '$';
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new GraphParseError(meta.source, base, 'expected a call record object');
  const kept = meta.transform
    ? meta.transform(json as Record<string, unknown>)
    : (json as Record<string, unknown>);
  const receivedAt = meta.receivedAt ?? Date.now();
  const { rows } = rowsFromJson(kept, { source: meta.source, tenantId: meta.tenantId, receivedAt }, base);
  const outcome = await store.records.save({
    json: kept,
    rows,
    source: meta.source,
    tenantId: meta.tenantId ?? null,
    receivedAt,
  });
  return { id: rows.call.id, version: rows.call.version, outcome };
}
