// Test support: a webhook app on a store whose collector state holds a live subscription with the given clientState.
import type { Clock } from '../clock/clock.ts';
import { silentLogger } from '../config/logger.ts';
import type { Store } from '../store/store.ts';
import { type CollectorMetrics, createCollectorMetrics } from './metrics.ts';
import { collectorStatus } from './status.ts';
import { createWebhookApp } from './webhook.ts';

type WebhookApp = ReturnType<typeof createWebhookApp>['app'];

/** A JSON body POSTed to `path` of the webhook, as Graph sends notifications. */
export function postNotification(app: WebhookApp, path: string, body: string): Promise<Response> {
  return Promise.resolve(
    app.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }),
    ),
  );
}

export async function subscribedWebhook(
  store: Store,
  o: {
    clock: Clock;
    secret: string;
    tenantId: string;
    notificationUrl: string;
    metrics?: CollectorMetrics;
    onAccepted?: () => void;
    notificationPaths?: string[];
  },
): Promise<WebhookApp> {
  const { clock } = o;
  await store.collectorState.write(
    {
      subscription: {
        id: 's1',
        expiresAt: clock.now() + 3600_000,
        clientState: o.secret,
        notificationUrl: o.notificationUrl,
        createdAt: 0,
      },
    },
    clock.now(),
  );
  return createWebhookApp({
    store,
    clock,
    logger: silentLogger,
    metrics: o.metrics ?? createCollectorMetrics(),
    tenantId: o.tenantId,
    status: () => collectorStatus(store, { now: clock.now() }),
    ...(o.onAccepted ? { onAccepted: o.onAccepted } : {}),
    ...(o.notificationPaths ? { notificationPaths: o.notificationPaths } : {}),
  }).app;
}
