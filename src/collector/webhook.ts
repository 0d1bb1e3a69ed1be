// The webhook receiver (hono): validation handshake, constant-time clientState check, persist then 202; /metrics,
// health; and its limits (paths, notifications per request, body size, header and body time, nosniff).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import { installErrorBoundary } from '../http/error-boundary.ts';
import { healthOf, healthPath } from '../http/health.ts';
import { createHostPolicy, type HostPolicy, hostGuard, originGuard } from '../http/host-guard.ts';
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
  /** Notifications one request may carry (default webhookLimits.maxNotifications). */
  maxNotifications?: number;
  /**
   * The paths Graph posts notifications and lifecycle notifications (and their validation requests) to: the
   * notification URL's path (notificationPathsOf). Any other path gets 404 for a POST.
   */
  notificationPaths?: readonly string[];
  /** The host names the listener answers to (default: loopback names only). */
  hosts?: HostPolicy;
}

/**
 * The webhook's limits (docs/security.md), each well above what Graph sends: Graph batches a few hundred
 * notifications at most into one request, each under 1 KB without resource data, and sends them at once.
 */
export const webhookLimits = {
  maxNotifications: 1000,
  maxBodyBytes: 1024 * 1024,
  /** The request line and headers must have arrived by then (Node answers 408 and closes). */
  headersTimeoutMs: 5_000,
  /** The whole request, body included. */
  requestTimeoutMs: 10_000,
} as const;

/**
 * Node's http server options for the collector's listener: header and body timeouts of a few seconds instead of
 * Node's 60 s / 300 s, checked every second (Node checks every 30 s by default), so a slow drip of bytes cannot
 * hold connections open.
 */
export const webhookServerOptions = {
  headersTimeout: webhookLimits.headersTimeoutMs,
  requestTimeout: webhookLimits.requestTimeoutMs,
  connectionsCheckingInterval: 1_000,
};

/** The paths notifications are taken on: the notification URL's (lifecycle notifications share the URL). */
export function notificationPathsOf(notificationUrl: string | undefined): string[] {
  if (!notificationUrl) return [defaultNotificationPath];
  try {
    return [new URL(notificationUrl).pathname];
  } catch {
    return [defaultNotificationPath];
  }
}

/** Where docs/real-tenant.md puts the webhook. */
export const defaultNotificationPath = '/api/notifications';

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
      const state = await this.store.collectorState.read();
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

/**
 * A call record id as Graph sends it (a GUID; docs samples and tests use others): at most 128 characters, no
 * control character (a NUL breaks a PostgreSQL insert of the whole batch it arrives with), no path separator,
 * query or escape, and not a dot segment, so it can never reach another Graph path.
 */
const isPlausibleId = (id: string): boolean => {
  if (id.length === 0 || id.length > 128 || id === '.' || id === '..' || /[/\\?#%]/.test(id)) return false;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
};
/** changeType and lifecycleEvent values (created, updated, reauthorizationRequired, ...). */
const plausibleWord = /^[A-Za-z,]{1,64}$/;

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
  const subscriptionId =
    typeof n.subscriptionId === 'string' && isPlausibleId(n.subscriptionId) ? n.subscriptionId : null;
  const { clientState: _secret, ...kept } = n;
  const body = JSON.stringify(kept);
  if (typeof n.lifecycleEvent === 'string' && !plausibleWord.test(n.lifecycleEvent))
    return { malformed: true };
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
  if (!recordId || !/callRecords/i.test(resource) || !isPlausibleId(recordId)) return { malformed: true };
  const changeType = typeof n.changeType === 'string' ? n.changeType : null;
  if (changeType !== null && !plausibleWord.test(changeType)) return { malformed: true };
  return { entry: { kind: 'change', recordId, changeType, lifecycleEvent: null, subscriptionId, body } };
}

export function createWebhookApp(options: WebhookOptions): { app: Hono; clientStates: ClientStates } {
  const { store, clock, metrics, logger } = options;
  const clientStates = new ClientStates(store, clock);
  const writeInbox = createInboxWriter(store.inbox, clock);
  const app = new Hono();
  const paths = new Set(options.notificationPaths ?? [defaultNotificationPath]);
  const maxNotifications = options.maxNotifications ?? webhookLimits.maxNotifications;
  // No answer of this listener is sniffed into something else (the validation echo is text the sender chose).
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
  });
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

  // Graph validates with a POST; a GET never echoes a token (that would be a reflection on any URL).
  app.get('*', async (c) => c.text('calltrove collector: Graph posts change notifications here\n', 200));

  app.post('*', async (c) => {
    if (!paths.has(c.req.path)) {
      metrics.rejected.inc({ reason: 'wrong_path' });
      return c.text('not the notification URL: Graph posts to the path of CALLTROVE_NOTIFICATION_URL\n', 404);
    }
    const token = c.req.query('validationToken');
    if (token !== undefined) return validation(token);
    const body = await readBodyText(c, options.maxBodyBytes ?? webhookLimits.maxBodyBytes);
    if ('tooLarge' in body) {
      metrics.rejected.inc({ reason: 'too_large' });
      return c.text('notification body too large\n', 413);
    }
    if ('cutOff' in body) {
      metrics.rejected.inc({ reason: 'cut_off' });
      return c.text('the body did not arrive in full\n', 400);
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
    // Nothing of an oversized batch is kept: each notification would become a Graph request.
    if (value.length > maxNotifications) {
      metrics.rejected.inc({ reason: 'too_many' });
      logger.warn(
        { notifications: value.length, max: maxNotifications },
        'refused a request with too many notifications',
      );
      return c.text(`more than ${maxNotifications} notifications in one request\n`, 413);
    }
    let states = await clientStates.current();
    let verdicts = value.map((item) => judge(item, states, options.tenantId));
    if (verdicts.some((v) => 'rejected' in v && v.rejected === 'client_state')) {
      states = await clientStates.current(true);
      verdicts = value.map((item) => judge(item, states, options.tenantId));
    }
    const entries = verdicts.flatMap((v) => ('entry' in v ? [v.entry] : []));
    const wrongState = verdicts.filter((v) => 'rejected' in v && v.rejected === 'client_state').length;
    const wrongTenant = verdicts.filter((v) => 'rejected' in v && v.rejected === 'tenant').length;
    const malformed = verdicts.filter((v) => 'malformed' in v).length;
    if (wrongState) {
      metrics.rejected.inc({ reason: 'client_state' }, wrongState);
      logger.warn({ rejected: wrongState }, 'refused notifications whose clientState does not match');
    }
    if (wrongTenant) {
      // The right secret for another tenant: a subscription of this app registered by another tenant's collector.
      metrics.rejected.inc({ reason: 'tenant' }, wrongTenant);
      logger.warn(
        { rejected: wrongTenant },
        "refused notifications for another tenant than this collector's",
      );
    }
    if (malformed) metrics.rejected.inc({ reason: 'malformed' }, malformed);
    if (entries.length === 0) {
      if (wrongState) return c.text('clientState does not match\n', 403);
      if (wrongTenant) return c.text("notification for another tenant than this collector's\n", 403);
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
