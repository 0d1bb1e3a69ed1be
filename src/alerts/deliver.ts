// Works the outbox: sends what is due to its channel, marks it delivered, or schedules another attempt with backoff
// (30 s doubling to an hour, or what the receiver's Retry-After asks) until alerts.giveUpAfter has passed.
import type { Logger } from '../config/logger.ts';
import type { ClaimedDelivery } from '../store/alert-outbox.ts';
import type { Store } from '../store/store.ts';
import { type Channel, DeliveryError } from './channels/channel.ts';
import type { AlertMessage } from './message.ts';

export interface DeliverOptions {
  store: Store;
  channels: ReadonlyMap<string, Channel>;
  now: () => number;
  /** Names this process in claims (diagnosis only). */
  owner: string;
  logger: Logger;
  giveUpAfterMs: number;
  /** `alerts check`: what earlier runs could not deliver is tried now whatever its retry time. */
  retryAttemptedBefore?: number;
  /** Told of every attempt's outcome (the Prometheus counters). */
  onAttempt?: (channel: string, outcome: 'delivered' | 'retry' | 'failed') => void;
}

export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
  /** Per failed attempt: the channel and what went wrong (secrets masked). */
  errors: { channel: string; error: string }[];
}

const BASE_MS = 30_000;
const MAX_MS = 3_600_000;

/** The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
}

async function attempt(o: DeliverOptions, d: ClaimedDelivery, report: DeliveryReport): Promise<void> {
  const channel = o.channels.get(d.channel);
  const now = o.now();
  if (!channel) {
    const error = `no channel named "${d.channel}" is configured any more`;
    await o.store.alertOutbox.giveUp(d, error, now);
    report.failed++;
    report.errors.push({ channel: d.channel, error });
    o.onAttempt?.(d.channel, 'failed');
    return;
  }
  try {
    await channel.send(JSON.parse(d.message) as AlertMessage, {
      id: d.deliveryKey,
      sentAt: new Date(now).toISOString(),
    });
    if (await o.store.alertOutbox.delivered(d, o.now())) report.delivered++;
    o.onAttempt?.(d.channel, 'delivered');
  } catch (err) {
    // Only a DeliveryError's text is known to be masked; anything else is masked here before it is kept.
    const error = channel.mask(err instanceof DeliveryError ? err.message : `${(err as Error).message}`);
    report.errors.push({ channel: d.channel, error });
    const later = o.now();
    if (later - (d.firstAttemptAt ?? later) >= o.giveUpAfterMs) {
      await o.store.alertOutbox.giveUp(d, error, later);
      report.failed++;
      o.onAttempt?.(d.channel, 'failed');
      o.logger.error(
        { channel: d.channel, delivery: d.deliveryKey, problem: error },
        'alert delivery given up',
      );
      return;
    }
    const wait = Math.max(backoffMs(d.attempts), err instanceof DeliveryError ? (err.retryAfterMs ?? 0) : 0);
    await o.store.alertOutbox.retry(d, later + wait, error, later);
    report.retrying++;
    o.onAttempt?.(d.channel, 'retry');
    o.logger.warn(
      {
        channel: d.channel,
        delivery: d.deliveryKey,
        attempts: d.attempts,
        retryInS: Math.round(wait / 1000),
        problem: error,
      },
      'alert delivery failed; will retry',
    );
  }
}

/** Delivers everything due now, in order per alert and channel; returns what happened. */
export async function deliverDue(o: DeliverOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, errors: [] };
  for (;;) {
    const batch = await o.store.alertOutbox.claim({
      now: o.now(),
      leaseMs: 120_000,
      limit: 25,
      owner: o.owner,
      retryAttemptedBefore: o.retryAttemptedBefore,
    });
    if (batch.length === 0) break;
    for (const d of batch) await attempt(o, d, report);
  }
  return report;
}
