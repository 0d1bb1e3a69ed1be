// The repositories the collector changes together: built on the store's Db, or on one transaction's (Store.transaction).
import { type CollectorStateRepository, createCollectorStateRepository } from './collector-state.ts';
import type { Db } from './db.ts';
import { createNotificationInbox, type NotificationInbox } from './notification-inbox.ts';
import { createRecordPlanRepository, type RecordPlanRepository } from './record-plans.ts';
import { createWorkQueue, type WorkQueue } from './work-queue.ts';

export interface CollectorRepositories {
  /** The collector's durable jobs: claims, leases, retries (src/store/work-queue.ts). */
  readonly workQueue: WorkQueue;
  /** The version planner's per-record facts (src/store/record-plans.ts). */
  readonly recordPlans: RecordPlanRepository;
  /** The collector's state: subscription, last runs, problems (src/store/collector-state.ts). */
  readonly collectorState: CollectorStateRepository;
  /** Notifications the webhook accepted, waiting to be planned (src/store/notification-inbox.ts). */
  readonly inbox: NotificationInbox;
}

export function createCollectorRepositories(db: Db): CollectorRepositories {
  return {
    workQueue: createWorkQueue(db),
    recordPlans: createRecordPlanRepository(db),
    collectorState: createCollectorStateRepository(db),
    inbox: createNotificationInbox(db),
  };
}

/**
 * Runs fn in one transaction with the collector's repositories bound to it: it commits when fn resolves and rolls
 * back when it throws (a crash leaves a notification or its effect, never neither).
 */
export function collectorTransaction<T>(db: Db, fn: (tx: CollectorRepositories) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(createCollectorRepositories(tx)));
}
