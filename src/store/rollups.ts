// Analytics rollups kept current at ingest: the record repository calls these inside the transaction
// that replaces a record's rows (remove the old version's contribution, then add the new one's).
import type { Db } from './db.ts';

/** Subtracts everything the call's currently stored rows contributed to the rollups. */
export async function removeCallFromRollups(_tx: Db, _callId: string): Promise<void> {
  // Filled in by the analytics rollups (migration 2xx); until then there is nothing to maintain.
}

/** Adds the call's freshly written rows to the rollups. */
export async function addCallToRollups(_tx: Db, _callId: string): Promise<void> {}
