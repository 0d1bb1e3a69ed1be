// Prometheus metrics of the collector, on a registry of its own (never prom-client's global default).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CollectorStatus } from './status.ts';

export interface CollectorMetrics {
  readonly registry: Registry;
  readonly recordsStored: Counter<'outcome'>;
  readonly versionsSkipped: Counter<string>;
  readonly fetchesSkipped: Counter<string>;
  readonly graphRequests: Counter<'kind' | 'status'>;
  readonly throttled: Counter<string>;
  readonly notifications: Counter<'kind'>;
  readonly rejected: Counter<'reason'>;
  readonly validations: Counter<string>;
  readonly notificationToStore: Histogram<'phase'>;
  /** Where the status gauges read their values from at scrape time. */
  setStatusSource(source: () => Promise<CollectorStatus>): void;
}

export function createCollectorMetrics(): CollectorMetrics {
  const registry = new Registry();
  let statusSource: (() => Promise<CollectorStatus>) | undefined;
  const registers = [registry];
  const m = {
    registry,
    recordsStored: new Counter({
      name: 'calltrove_records_stored_total',
      help: 'Call record versions handed to the store, by outcome (inserted, updated, unchanged, superseded)',
      labelNames: ['outcome'],
      registers,
    }),
    versionsSkipped: new Counter({
      name: 'calltrove_versions_skipped_total',
      help: 'Change notifications coalesced into a later fetch instead of a fetch of their own',
      registers,
    }),
    fetchesSkipped: new Counter({
      name: 'calltrove_fetches_skipped_total',
      help: 'Planned fetches not made because the stored version was already current',
      registers,
    }),
    graphRequests: new Counter({
      name: 'calltrove_graph_requests_total',
      help: 'Requests sent to Microsoft Graph, by kind and HTTP status (or timeout/network)',
      labelNames: ['kind', 'status'],
      registers,
    }),
    throttled: new Counter({
      name: 'calltrove_graph_throttled_total',
      help: 'Graph answers with 429 Too Many Requests',
      registers,
    }),
    notifications: new Counter({
      name: 'calltrove_notifications_received_total',
      help: 'Notifications accepted and persisted by the webhook, by kind (change, lifecycle)',
      labelNames: ['kind'],
      registers,
    }),
    validations: new Counter({
      name: 'calltrove_webhook_validations_total',
      help: 'Validation requests (validationToken) answered by the webhook',
      registers,
    }),
    rejected: new Counter({
      name: 'calltrove_notifications_rejected_total',
      help: 'Webhook requests or notifications refused, by reason (client_state, tenant, malformed, too_large, too_many, wrong_path, cut_off)',
      labelNames: ['reason'],
      registers,
    }),
    notificationToStore: new Histogram({
      name: 'calltrove_notification_to_store_seconds',
      help: "Time from a record's first change notification to its first stored version",
      labelNames: ['phase'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    setStatusSource(source: () => Promise<CollectorStatus>) {
      // One scrape reads every gauge at once: they share one status computation.
      let pending: Promise<CollectorStatus> | undefined;
      statusSource = () => {
        pending ??= source().finally(() => setImmediate(() => (pending = undefined)));
        return pending;
      };
    },
  };
  const gauge = (name: string, help: string, read: (s: CollectorStatus) => number | null) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        if (!statusSource) return;
        const v = read(await statusSource());
        if (v !== null) this.set(v);
      },
    });
  const age = (s: CollectorStatus, at: number | null | undefined) =>
    at == null ? null : (s.now - at) / 1000;
  gauge(
    'calltrove_subscription_active',
    '1 when a change-notification subscription exists and has not expired',
    (s) => (s.subscription.active ? 1 : 0),
  );
  gauge('calltrove_subscription_expires_in_seconds', 'Seconds until the subscription expires', (s) =>
    s.subscription.expiresAt == null ? null : (s.subscription.expiresAt - s.now) / 1000,
  );
  gauge('calltrove_last_notification_age_seconds', 'Seconds since the last notification arrived', (s) =>
    age(s, s.subscription.lastNotificationAt),
  );
  gauge('calltrove_last_record_stored_age_seconds', 'Seconds since a record was last stored', (s) =>
    age(s, s.lastRecordStored?.at),
  );
  gauge('calltrove_queue_depth', 'Jobs waiting in the work queue (all kinds)', (s) => s.queue.depth);
  gauge('calltrove_queue_oldest_pending_seconds', 'Age of the oldest due job nobody works on', (s) =>
    s.queue.oldestDueAt == null ? 0 : Math.max(0, (s.now - s.queue.oldestDueAt) / 1000),
  );
  gauge('calltrove_inbox_depth', 'Notifications persisted but not yet planned', (s) => s.inbox.depth);
  gauge('calltrove_problems', 'Number of problems calltrove status reports', (s) => s.problems.length);
  return m;
}
