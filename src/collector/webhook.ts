// The webhook receiver (hono): validation handshake, constant-time clientState check, persist then 202; /metrics, health.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import { installErrorBoundary } from '../http/error-boundary.ts';
import { healthOf, healthPath } from '../http/health.ts';
import { createHostPolicy, type HostPolicy, hostGuard, originGuard } from '../http/host-guard.ts';
import { readCollectorState } from '../store/collector-state.ts';
import type { InboxEntry } from '../store/notification-inbox.ts';
import type { Store } from '../store/store.ts';
import { createInboxWriter } from './inbox-writer.ts';
import type { CollectorMetrics } from './metrics.ts';
import { readBodyText } from './read-body.ts';
import type { CollectorStatus } from './status.ts';

export interface WebhookOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: CollectorMetrics;
  /** Notifications for another tenant are refused. */
  tenantId?: string;
  /** Called after notifications were persisted (wakes the planner). */
  onAccepted?: () => void;
  status: () => Promise<CollectorStatus>;
  maxBodyBytes?: number;
  /** The host names the listener answers to (default: loopback names only). */
  hosts?: HostPolicy;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Equal-length digests, so the comparison time says nothing about how much of the secret matched. */
export function sameSecret(received: unknown, expected: string): boolean {
  if (typeof received !== 'string') return false;
  return timingSafeEqual(digest(received), digest(expected));
}

/** The clientStates the webhook accepts, read from collector state and cached briefly (another process may renew). */
export class ClientStates {
  private cached: { states: string[]; at: number } | undefined;
  private lastForced = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  async current(force = false): Promise<string[]> {
    const now = this.clock.now();
    // A mismatch may mean the subscription was just replaced: re-read, but at most every few seconds.
    const forced = force && now - this.lastForced > 5000;
    if (forced) this.lastForced = now;
    if (!this.cached || forced || now - this.cached.at > this.ttlMs) {
      const state = await readCollectorState(this.store.db);
      const states = [
        ...(state.subscription ? [state.subscription.clientState] : []),
        ...(state.otherClientStates ?? []).filter((o) => o.until > now).map((o) => o.clientState),
      ];
      this.cached = { states, at: now };
    }
    return this.cached.states;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

type Verdict = { entry: InboxEntry } | { rejected: 'client_state' | 'tenant' } | { malformed: true };

function judge(item: unknown, states: readonly string[], tenantId: string | undefined): Verdict {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { malformed: true };
  const n = item as Record<string, unknown>;
  // Every candidate is compared, so the time taken does not depend on which (if any) matched.
  let ok = false;
  for (const s of states) ok = sameSecret(n.clientState, s) || ok;
  if (!ok) return { rejected: 'client_state' };
  if (tenantId && typeof n.tenantId === 'string' && n.tenantId.toLowerCase() !== tenantId.toLowerCase())
    return { rejected: 'tenant' };
  const subscriptionId = typeof n.subscriptionId === 'string' ? n.subscriptionId : null;
  const { clientState: _secret, ...kept } = n;
  const body = JSON.stringify(kept);
  if (typeof n.lifecycleEvent === 'string')
    return {
      entry: {
        kind: 'lifecycle',
        recordId: null,
        changeType: null,
        lifecycleEvent: n.lifecycleEvent,
        subscriptionId,
        body,
      },
    };
  const resource = typeof n.resource === 'string' ? n.resource : '';
  const data = n.resourceData as { id?: unknown } | undefined;
  const fromResource =
    resource.match(/callRecords\/([^/?]+)$/i)?.[1] ?? resource.match(/callRecords\('([^']+)'\)/i)?.[1];
  const recordId = typeof data?.id === 'string' && data.id ? data.id : fromResource;
  if (!recordId || !/callRecords/i.test(resource)) return { malformed: true };
  const changeType = typeof n.changeType === 'string' ? n.changeType : null;
  return { entry: { kind: 'change', recordId, changeType, lifecycleEvent: null, subscriptionId, body } };
}

export function createWebhookApp(options: WebhookOptions): { app: Hono; clientStates: ClientStates } {
  const { store, clock, metrics, logger } = options;
  const clientStates = new ClientStates(store, clock);
  const writeInbox = createInboxWriter(store.db, clock);
  const app = new Hono();
  // DNS rebinding: /metrics and health answer only requests that name this listener (Graph uses the public host).
  const hosts = options.hosts ?? createHostPolicy({});
  app.use('*', hostGuard(hosts));
  app.use('*', originGuard(hosts));
  // The API's error boundary: an error answers JSON with what to do (or a bare 500), never a stack trace.
  installErrorBoundary(
    app,
    logger,
    'POST change notifications here; GET /metrics and /api/v1/health to monitor',
  );

  app.get('/metrics', async (c) => {
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': metrics.registry.contentType });
  });
  // The one health answer, with the collector's status beside the version and database.
  app.get(healthPath, async (c) => {
    const { body, httpStatus } = await healthOf({ ping: () => store.ping(), collector: options.status });
    return c.json(body, httpStatus);
  });

  const validation = async (token: string) => {
    // Nothing is written: an unauthenticated request (anyone can send one) must leave the store untouched.
    metrics.validations.inc();
    logger.info('answered a notification URL validation request');
    // The token as received, URL-decoded (the query parser decodes it): Graph refuses an encoded echo.
    return new Response(token, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };

  app.get('*', async (c) => {
    const token = c.req.query('validationToken');
    if (token !== undefined) return validation(token);
    return c.text('calltrove collector: POST change notifications here\n', 200);
  });

  app.post('*', async (c) => {
    const token = c.req.query('validationToken');
    if (token !== undefined) return validation(token);
    const body = await readBodyText(c, options.maxBodyBytes ?? 1024 * 1024);
    if ('tooLarge' in body) {
      metrics.rejected.inc({ reason: 'too_large' });
      return c.text('notification body too large\n', 413);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      metrics.rejected.inc({ reason: 'malformed' });
      return c.text('the body is not JSON\n', 400);
    }
    const value = (parsed as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) {
      metrics.rejected.inc({ reason: 'malformed' });
      return c.text('expected {"value": [...]}\n', 400);
    }
    let states = await clientStates.current();
    let verdicts = value.map((item) => judge(item, states, options.tenantId));
    if (verdicts.some((v) => 'rejected' in v && v.rejected === 'client_state')) {
      states = await clientStates.current(true);
      verdicts = value.map((item) => judge(item, states, options.tenantId));
    }
    const entries = verdicts.flatMap((v) => ('entry' in v ? [v.entry] : []));
    const rejected = verdicts.filter((v) => 'rejected' in v).length;
    const malformed = verdicts.filter((v) => 'malformed' in v).length;
    if (rejected) metrics.rejected.inc({ reason: 'client_state' }, rejected);
    if (malformed) metrics.rejected.inc({ reason: 'malformed' }, malformed);
    if (entries.length === 0) {
      if (rejected) {
        logger.warn({ rejected }, 'refused notifications whose clientState does not match');
        return c.text('clientState does not match\n', 403);
      }
      if (malformed) return c.text('no usable notification in the body\n', 400);
      return c.body(null, 202);
    }
    await writeInbox(entries);
    for (const e of entries) metrics.notifications.inc({ kind: e.kind });
    options.onAccepted?.();
    return c.body(null, 202);
  });
  return { app, clientStates };
}
