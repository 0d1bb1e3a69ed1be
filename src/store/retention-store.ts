// The retention repository: the privacy retention job's steps over a plan (src/store/retention-plan.ts), each
// the store's own SQL; which data ages how is src/privacy's (the EUII catalog).
import type { CompactResult, Db } from './db.ts';
import type { RecordRepository } from './records.ts';
import { ageLogs, tokenizeAnalytics } from './retention-analytics.ts';
import type { RetentionRun } from './retention-plan.ts';
import {
  removeOldRecords,
  removeReturnedRecords,
  scrubRawVersions,
  scrubRecordRows,
} from './retention-records.ts';
import { liveTables } from './schema-info.ts';

export interface RetentionStore {
  /** The tables this store has (a plan's tables outside it are skipped). */
  tables(): Promise<Set<string>>;
  /** Records removed earlier and imported again: removed again. Returns how many. */
  removeReturned(run: RetentionRun): Promise<number>;
  /** Records whose call ended before the cutoff: removed, tombstoned. Returns how many. */
  removeOld(run: RetentionRun, cutoff: number): Promise<number>;
  /** EUII of the rows of records that ended before the cutoff: cleared. Returns how many records. */
  scrubRows(run: RetentionRun, cutoff: number): Promise<number>;
  /** Raw versions of those records: scrubbed. Returns how many versions. */
  scrubRaw(run: RetentionRun, cutoff: number): Promise<number>;
  /** User keys of facts and rollups of the cutoff's day and before: tokenized. */
  tokenizeAnalytics(run: RetentionRun, euiiCutoff: number): Promise<void>;
  /** Log tables: EUII cleared before euiiCutoff, rows removed before recordCutoff. */
  ageLogs(run: RetentionRun, euiiCutoff: number, recordCutoff: number): Promise<void>;
  /** Makes cleared bytes leave the database files (the backend's VACUUM). */
  compact(tables: readonly string[], o: { vacuum: boolean }): Promise<CompactResult>;
}

export function createRetentionStore(db: Db, records: RecordRepository): RetentionStore {
  return {
    tables: async () => new Set(await liveTables(db)),
    removeReturned: (run) => removeReturnedRecords(db, records, run),
    removeOld: (run, cutoff) => removeOldRecords(db, run, cutoff),
    scrubRows: (run, cutoff) => scrubRecordRows(db, run, cutoff),
    scrubRaw: (run, cutoff) => scrubRawVersions(db, run, cutoff),
    tokenizeAnalytics: (run, cutoff) => tokenizeAnalytics(db, run, cutoff),
    ageLogs: (run, euii, record) => ageLogs(db, run, euii, record),
    compact: (tables, o) => db.schema.compact(db, tables, o),
  };
}
