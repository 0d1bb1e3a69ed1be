// The Store: one database (SQLite or PostgreSQL) behind the Db seam, migrated, with the repositories built on it.

import { type Clock, SystemClock } from '../clock/clock.ts';
import { type AlertOutbox, createAlertOutbox } from './alert-outbox.ts';
import { type AlertRepository, createAlertRepository } from './alerts.ts';
import { type AssetRepository, createAssetRepository } from './assets.ts';
import { type AuditLog, createAuditLog } from './audit-log.ts';
import { type BuildingRepository, createBuildingRepository } from './building-repository.ts';
import { type CollectorLocks, createCollectorLocks } from './collector-locks.ts';
import {
  type CollectorRepositories,
  collectorTransaction,
  createCollectorRepositories,
} from './collector-repositories.ts';
import { type Db, type ReadDb, readOnlyDb } from './db.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { openDb } from './open-db.ts';
import { maintainPartitions } from './partitions.ts';
import { createPstnLogRepository, type PstnLogRepository } from './pstn-logs.ts';
import { createRecordRepository, type RecordRepository } from './records.ts';
import { createRetentionRunLog, type RetentionRunLog } from './retention-runs.ts';
import { createRetentionStore, type RetentionStore } from './retention-store.ts';
import { mergePendingRollups } from './rollup-merge.ts';
import { withSharedWrites } from './shared-writes.ts';

export interface Store extends CollectorRepositories {
  /** The whole database seam: for the store's own repositories (src/store/) only. */
  readonly db: Db;
  /** The read-only query seam the analytics queries (src/analytics/) read through. */
  readonly reads: ReadDb;
  readonly url: string;
  /** Call records: raw version history and normalized rows (src/store/records.ts). */
  readonly records: RecordRepository;
  /** Who read end-user identifiable information, when, and what (src/store/audit-log.ts). */
  readonly audit: AuditLog;
  /** The access-point and CQD endpoint files (src/store/assets.ts); loaded with the building map. */
  readonly assets: AssetRepository;
  /** The building map (CQD's building data file) and the rollups that depend on it. */
  readonly buildings: BuildingRepository;
  /** PSTN and Direct Routing call logs. */
  readonly pstnLogs: PstnLogRepository;
  /** The privacy retention job's steps (what ages how is src/privacy's catalog). */
  readonly retention: RetentionStore;
  /** The privacy retention job's runs. */
  readonly retentionRuns: RetentionRunLog;
  /**
   * For a bulk import: until the returned stop is called, SQLite copies its WAL into the database file on a
   * background thread instead of inside the import's commits; a no-op where the database does that itself.
   */
  bulkWrites(): () => Promise<void>;
  /** Checks that the database answers; resolves to its dialect (the health endpoint's `database`). */
  ping(): Promise<Db['capabilities']['dialect']>;
  /** Alert episodes, history and mutes (src/store/alerts.ts). */
  readonly alerts: AlertRepository;
  /** Alert messages waiting for delivery, and the evaluation lease (src/store/alert-outbox.ts). */
  readonly alertOutbox: AlertOutbox;
  /** Locks between collector processes: leadership, owner marks, dead leases (src/store/collector-locks.ts). */
  readonly collectorLocks: CollectorLocks;
  /**
   * Runs fn in one transaction with the collector's repositories (queue, plans, state, inbox) bound to it; it
   * commits when fn resolves and rolls back when it throws.
   */
  transaction<T>(fn: (tx: CollectorRepositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Wraps an open Db as a Store, applying every migration first; `clock` dates migrations and partitions. */
export async function storeFromDb(db: Db, url: string, clock: Clock = new SystemClock()): Promise<Store> {
  const now = () => clock.now();
  await migrate(db, migrations, now);
  // PostgreSQL: this month's and next month's partitions exist before anything is written (a no-op on SQLite).
  await maintainPartitions(db, now());
  // Rollup deltas a writer queued and did not live to merge (PostgreSQL).
  await mergePendingRollups(db);
  const records = withSharedWrites(db, createRecordRepository(db), now);
  return {
    db,
    url,
    reads: readOnlyDb(db),
    records,
    audit: createAuditLog(db),
    buildings: createBuildingRepository(db),
    assets: createAssetRepository(db),
    pstnLogs: createPstnLogRepository(db),
    retention: createRetentionStore(db, records),
    retentionRuns: createRetentionRunLog(db),
    bulkWrites: () => db.checkpointInBackground(),
    async ping() {
      await db.get('SELECT 1 AS ok');
      return db.capabilities.dialect;
    },
    alerts: createAlertRepository(db),
    alertOutbox: createAlertOutbox(db),
    ...createCollectorRepositories(db),
    collectorLocks: createCollectorLocks(db),
    transaction: (fn) => collectorTransaction(db, fn),
    close: () => db.close(),
  };
}

export async function openStore(url: string, clock?: Clock): Promise<Store> {
  return storeFromDb(openDb(url), url, clock);
}
