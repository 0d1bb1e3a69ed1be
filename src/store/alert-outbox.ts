// The alert outbox: messages waiting for a channel, claimed under a lease so each is sent by one process, in order
// per alert and channel, retried until delivered or given up; and the lease that lets one process evaluate at a time.
import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: number;
  /** `<event id>:<channel>`: also the id receivers can deduplicate on. */
  deliveryKey: string;
  alertId: number;
  eventId: number;
  channel: string;
  state: DeliveryState;
  /** The channel-neutral message (JSON), as it was when the event happened. */
  message: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  /** When it was first tried (null before): giving up counts from here. */
  firstAttemptAt: number | null;
  deliveredAt: number | null;
}

export interface ClaimedDelivery extends Delivery {
  leaseToken: string;
}

type Row = Record<string, unknown>;

function toDelivery(r: Row): ClaimedDelivery {
  return {
    id: Number(r.id),
    deliveryKey: String(r.delivery_key),
    alertId: Number(r.alert_id),
    eventId: Number(r.event_id),
    channel: String(r.channel),
    state: r.state as DeliveryState,
    message: String(r.message),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: Number(r.created_at),
    firstAttemptAt:
      r.first_attempt_at === null || r.first_attempt_at === undefined ? null : Number(r.first_attempt_at),
    deliveredAt: r.delivered_at === null || r.delivered_at === undefined ? null : Number(r.delivered_at),
    leaseToken: String(r.lease_token ?? ''),
  };
}

/** Queues one message per channel for an event (inside the caller's transaction); a repeated key is ignored. */
export async function enqueueDeliveries(
  tx: Db,
  alertId: number,
  eventId: number,
  deliveries: readonly { channel: string; message: string }[],
  now: number,
): Promise<void> {
  for (const d of deliveries)
    await tx.run(
      `INSERT INTO alert_outbox (delivery_key, alert_id, event_id, channel, state, message, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, 'pending', ?, 0, ?, ?) ON CONFLICT (delivery_key) DO NOTHING`,
      [`${eventId}:${d.channel}`, alertId, eventId, d.channel, d.message, now, now],
    );
}

export interface ClaimDeliveriesOptions {
  now: number;
  /** How long a claim is this process's alone; a process that dies mid-send gives it up when this runs out. */
  leaseMs: number;
  limit: number;
  /** Names the claimant in the lease token (diagnosis only). */
  owner: string;
  /**
   * Messages last attempted before this time are due now whatever their retry time (`alerts check`: a cron run is
   * itself the retry); those attempted since (in this run) wait for theirs.
   */
  retryAttemptedBefore?: number;
}

export interface OutboxStats {
  pending: number;
  failed: number;
  delivered: number;
  oldestPendingAt: number | null;
}

export interface AlertOutbox {
  /**
   * Claims due messages, oldest first, only the oldest pending one of each alert and channel (a "resolved" never
   * overtakes its "firing"). PostgreSQL skips rows other processes are claiming.
   */
  claim(o: ClaimDeliveriesOptions): Promise<ClaimedDelivery[]>;
  /** Marks a claimed message delivered; false when the claim was lost meanwhile. */
  delivered(d: ClaimedDelivery, now: number): Promise<boolean>;
  /** Schedules another attempt (the error is stored as given: the caller masks secrets). */
  retry(d: ClaimedDelivery, nextAttemptAt: number, error: string, now: number): Promise<void>;
  /** Stops trying: the message stays in history as failed. */
  giveUp(d: ClaimedDelivery, error: string, now: number): Promise<void>;
  forAlert(alertId: number): Promise<Delivery[]>;
  stats(): Promise<OutboxStats>;
  /**
   * Takes (or extends) the named lease for `ms` unless another holder has it; on PostgreSQL and SQLite alike,
   * across processes. A holder that dies loses it when `ms` runs out.
   */
  tryLease(name: string, holder: string, now: number, ms: number): Promise<boolean>;
  /** Lets the lease go and notes when the holder's run finished. */
  releaseLease(name: string, holder: string, now: number): Promise<void>;
  /** When the last run under the named lease finished (null before the first). */
  lastRun(name: string): Promise<number | null>;
}

export function createAlertOutbox(db: Db): AlertOutbox {
  return {
    async claim(o) {
      const token = `${o.owner}:${randomUUID()}`;
      const lock = db.capabilities.skipLocked ? ' FOR UPDATE OF o SKIP LOCKED' : '';
      const due =
        o.retryAttemptedBefore === undefined
          ? ' AND o.next_attempt_at <= ?'
          : ' AND (o.next_attempt_at <= ? OR o.last_attempt_at < ?)';
      const rows = await db.transaction((tx) =>
        tx.all<Row>(
          `UPDATE alert_outbox SET lease_token = ?, lease_until = ?, attempts = attempts + 1,
             first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?
           WHERE id IN (SELECT o.id FROM alert_outbox o
             WHERE o.state = 'pending' AND (o.lease_until IS NULL OR o.lease_until < ?)${due}
               AND NOT EXISTS (SELECT 1 FROM alert_outbox p WHERE p.alert_id = o.alert_id
                 AND p.channel = o.channel AND p.state = 'pending' AND p.id < o.id)
             ORDER BY o.id LIMIT ?${lock})
           RETURNING *`,
          [
            token,
            o.now + o.leaseMs,
            o.now,
            o.now,
            o.now,
            o.now,
            ...(o.retryAttemptedBefore === undefined ? [] : [o.retryAttemptedBefore]),
            o.limit,
          ],
        ),
      );
      return rows.map(toDelivery).sort((a, b) => a.id - b.id);
    },
    async delivered(d, now) {
      const r = await db.run(
        `UPDATE alert_outbox SET state = 'delivered', delivered_at = ?, lease_token = NULL, lease_until = NULL,
           last_error = NULL WHERE id = ? AND lease_token = ? AND state = 'pending'`,
        [now, d.id, d.leaseToken],
      );
      return r.changes > 0;
    },
    async retry(d, nextAttemptAt, error, _now) {
      await db.run(
        `UPDATE alert_outbox SET next_attempt_at = ?, last_error = ?, lease_token = NULL, lease_until = NULL
         WHERE id = ? AND lease_token = ?`,
        [nextAttemptAt, error, d.id, d.leaseToken],
      );
    },
    async giveUp(d, error, _now) {
      await db.run(
        `UPDATE alert_outbox SET state = 'failed', last_error = ?, lease_token = NULL, lease_until = NULL
         WHERE id = ? AND lease_token = ?`,
        [error, d.id, d.leaseToken],
      );
    },
    async forAlert(alertId) {
      const rows = await db.all<Row>('SELECT * FROM alert_outbox WHERE alert_id = ? ORDER BY id', [alertId]);
      return rows.map(toDelivery);
    },
    async stats() {
      const rows = await db.all<{ state: string; n: number; oldest: number | null }>(
        'SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM alert_outbox GROUP BY state',
      );
      const of = (s: string) => rows.find((r) => r.state === s);
      const oldest = of('pending')?.oldest;
      return {
        pending: Number(of('pending')?.n ?? 0),
        failed: Number(of('failed')?.n ?? 0),
        delivered: Number(of('delivered')?.n ?? 0),
        oldestPendingAt: oldest === null || oldest === undefined ? null : Number(oldest),
      };
    },
    async tryLease(name, holder, now, ms) {
      const r = await db.run(
        `INSERT INTO alert_leases (name, holder, until_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at
         WHERE alert_leases.until_at < ? OR alert_leases.holder = excluded.holder`,
        [name, holder, now + ms, now],
      );
      return r.changes > 0;
    },
    async releaseLease(name, holder, now) {
      await db.run('UPDATE alert_leases SET until_at = 0, last_run_at = ? WHERE name = ? AND holder = ?', [
        now,
        name,
        holder,
      ]);
    },
    async lastRun(name) {
      const r = await db.get<{ last_run_at: number | null }>(
        'SELECT last_run_at FROM alert_leases WHERE name = ?',
        [name],
      );
      return r?.last_run_at === null || r?.last_run_at === undefined ? null : Number(r.last_run_at);
    },
  };
}
