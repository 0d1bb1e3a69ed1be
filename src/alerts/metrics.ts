// Prometheus metrics of alerts: firing alerts by rule and severity, messages waiting or given up (read from the
// store at scrape time), and delivery attempts by channel and outcome.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Store } from '../store/store.ts';

export interface AlertMetrics {
  onAttempt(channel: string, outcome: 'delivered' | 'retry' | 'failed'): void;
}

/** Registers the alert metrics on a registry (the collector's /metrics). */
export function registerAlertMetrics(registry: Registry, store: Store): AlertMetrics {
  const registers = [registry];
  const attempts = new Counter({
    name: 'calltrove_alert_delivery_attempts_total',
    help: 'Alert message delivery attempts by channel and outcome (delivered, retry, failed = given up)',
    labelNames: ['channel', 'outcome'],
    registers,
  });
  new Gauge({
    name: 'calltrove_alerts_firing',
    help: 'Alerts firing now, by rule and severity',
    labelNames: ['rule', 'severity'],
    registers,
    async collect() {
      this.reset();
      for (const a of await store.alerts.open()) this.inc({ rule: a.ruleId, severity: a.severity });
    },
  });
  const outbox = () => store.alertOutbox.stats();
  new Gauge({
    name: 'calltrove_alert_deliveries_pending',
    help: 'Alert messages waiting to be delivered (new, or failing and retried with backoff)',
    registers,
    async collect() {
      this.set((await outbox()).pending);
    },
  });
  new Gauge({
    name: 'calltrove_alert_deliveries_failed',
    help: 'Alert messages given up after alerts.giveUpAfter of failed attempts',
    registers,
    async collect() {
      this.set((await outbox()).failed);
    },
  });
  return { onAttempt: (channel, outcome) => attempts.inc({ channel, outcome }) };
}
