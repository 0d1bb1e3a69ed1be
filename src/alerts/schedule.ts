// Alerts inside `collect` and `serve`: evaluate every alerts.evaluateEvery (skipped when another process did so
// recently), and work the outbox every 30 s in between so a retry waits its backoff, not the next evaluation.
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../store/store.ts';
import type { Channel } from './channels/channel.ts';
import { createChannels } from './channels/index.ts';
import { deliverDue } from './deliver.ts';
import type { AlertMetrics } from './metrics.ts';
import type { CauseSource, ChangeSource } from './observation.ts';
import { type AlertRunReport, evaluationLease, runAlerts } from './run-check.ts';

export interface AlertScheduleOptions {
  store: Store;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Default: the configured channels. */
  channels?: ReadonlyMap<string, Channel>;
  /** A due evaluation is skipped while this says no (of several collectors, the leader evaluates). */
  when?: () => boolean;
  /** Before the first evaluation (default 1 minute or evaluateEvery if shorter, so start-up is not slowed). */
  firstAfterMs?: number;
  /** Between outbox passes (default 30 s). */
  deliverEveryMs?: number;
  metrics?: AlertMetrics;
  causes?: CauseSource;
  changes?: ChangeSource;
}

export interface AlertSchedule {
  /** Evaluates and delivers now (what the timer does); concurrent calls share one run. */
  runNow(): Promise<AlertRunReport>;
  stop(): Promise<void>;
}

export function startAlertSchedule(o: AlertScheduleOptions): AlertSchedule {
  const every = o.config.alerts.evaluateEvery;
  const deliverEvery = o.deliverEveryMs ?? 30_000;
  const channels = o.channels ?? createChannels(o.config.alerts.channels);
  const owner = `alerts-${randomUUID().slice(0, 8)}`;
  const onAttempt = o.metrics?.onAttempt;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let nextEvaluation = o.clock.now() + (o.firstAfterMs ?? Math.min(60_000, every));
  // One run at a time: a timer tick and a runNow() call queue behind each other.
  let chain: Promise<unknown> = Promise.resolve();
  const once = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };

  const runNow = () =>
    once(async () => {
      const report = await runAlerts({
        store: o.store,
        config: o.config,
        channels,
        logger: o.logger,
        now: () => o.clock.now(),
        owner,
        causes: o.causes,
        changes: o.changes,
        onAttempt,
      });
      if (report.evaluation) {
        const changed = report.evaluation.changes.filter((c) => c.change !== 'held');
        if (changed.length > 0)
          o.logger.info(
            {
              changes: changed.map((c) => `${c.change} ${c.ruleId} ${c.scopeKey}`),
              firing: report.evaluation.firing,
            },
            'alerts evaluated',
          );
      }
      return report;
    });

  const tick = async () => {
    const now = o.clock.now();
    if (now >= nextEvaluation && (!o.when || o.when())) {
      nextEvaluation = now + every;
      // Another process (a second collector, `serve` beside `collect`) evaluated moments ago: deliver only.
      const last = await o.store.alertOutbox.lastRun(evaluationLease);
      if (last === null || now - last >= every * 0.8) {
        await runNow();
        return;
      }
    }
    await once(() =>
      deliverDue({
        store: o.store,
        channels,
        now: () => o.clock.now(),
        owner,
        logger: o.logger,
        giveUpAfterMs: o.config.alerts.giveUpAfter,
        onAttempt,
      }),
    );
  };

  const schedule = () => {
    if (stopped) return;
    timer = o.clock.setTimeout(
      () => {
        tick()
          .catch((err: unknown) =>
            o.logger.error({ problem: (err as Error).message }, 'alert evaluation failed; retried next time'),
          )
          .finally(schedule);
      },
      Math.max(0, Math.min(deliverEvery, nextEvaluation - o.clock.now())),
    );
  };
  schedule();
  return {
    runNow,
    async stop() {
      stopped = true;
      o.clock.clearTimeout(timer);
      await chain;
      for (const c of channels.values()) await c.close?.();
    },
  };
}
