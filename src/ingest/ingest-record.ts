// THE ingest pipeline for one call record: parse -> (transform) -> normalize -> store. Used by `import` and the collector.
import type { Store } from '../store/store.ts';

export type SaveOutcome = 'inserted' | 'updated' | 'unchanged' | 'superseded';

export interface IngestMeta {
  /** Where the record came from (file path, `graph`); named in every error. */
  source: string;
  /** The tenant whose Graph returned the record: decides organizer vs participant view. */
  tenantId?: string;
  /** Epoch ms it was received (default: now). */
  receivedAt?: number;
  /** A privacy hook (pseudonymization) applied to the record JSON before anything is stored. */
  transform?: (record: Record<string, unknown>) => Record<string, unknown>;
}

export interface IngestResult {
  id: string;
  version: number;
  outcome: SaveOutcome;
}

export async function ingestRecord(_store: Store, _json: unknown, _meta: IngestMeta): Promise<IngestResult> {
  throw new Error('not yet implemented');
}
