// One alert run: under the evaluation lease (one process at a time, on SQLite and PostgreSQL alike), evaluate every
// rule, then deliver what is due. `alerts check`, and the schedule in `collect` and `serve`, run exactly this.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../store/store.ts';
import type { Channel } from './channels/channel.ts';
import { type DeliveryReport, deliverDue } from './deliver.ts';
import { type EvaluationReport, evaluateAlerts } from './evaluate.ts';
import type { CauseSource, ChangeSource } from './observation.ts';

export const evaluationLease = 'evaluate';

export interface AlertRunOptions {
  store: Store;
  config: Config;
  channels: ReadonlyMap<string, Channel>;
  logger: Logger;
  /** The clock deliveries, retries and the lease go by. */
  now: () => number;
  /** The time the rules are evaluated as of (`alerts check --now`); default now(). */
  evaluateAt?: number;
  owner?: string;
  /** A cron run (`alerts check`): retry at once what earlier runs could not deliver. */
  retryEarlierFailures?: boolean;
  causes?: CauseSource;
  changes?: ChangeSource;
  onAttempt?: (channel: string, outcome: 'delivered' | 'retry' | 'failed') => void;
}

export interface AlertRunReport {
  /** Null when another process held the evaluation lease (it evaluates and delivers instead). */
  evaluation: EvaluationReport | null;
  delivery: DeliveryReport | null;
}

/** How long a run may hold the lease before another process may take it (a run that died). */
const leaseMs = 10 * 60_000;

export async function runAlerts(o: AlertRunOptions): Promise<AlertRunReport> {
  const owner = o.owner ?? `alerts-${randomUUID().slice(0, 8)}`;
  const started = o.now();
  if (!(await o.store.alertOutbox.tryLease(evaluationLease, owner, started, leaseMs)))
    return { evaluation: null, delivery: null };
  try {
    const evaluation = await evaluateAlerts({
      store: o.store,
      config: o.config,
      now: o.evaluateAt ?? started,
      logger: o.logger,
      causes: o.causes,
      changes: o.changes,
    });
    const delivery = await deliverDue({
      store: o.store,
      channels: o.channels,
      now: o.now,
      owner,
      logger: o.logger,
      giveUpAfterMs: o.config.alerts.giveUpAfter,
      retryAttemptedBefore: o.retryEarlierFailures ? started : undefined,
      onAttempt: o.onAttempt,
    });
    return { evaluation, delivery };
  } finally {
    await o.store.alertOutbox.releaseLease(evaluationLease, owner, o.now());
  }
}
