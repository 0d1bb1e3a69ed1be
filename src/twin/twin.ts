// The Graph twin: Microsoft's side of the call-records data flow, in-process (fetch) or over HTTPS (listen).
import type { Clock } from '../clock/clock.ts';
import { accessPointsCsv } from './access-points.ts';
import { Authority } from './auth.ts';
import { buildingsCsv } from './buildings-csv.ts';
import { endpointsCsv } from './endpoints-csv.ts';
import { FaultInjector, type FaultSettings, faultSettings } from './faults.ts';
import { GraphApi } from './graph-api.ts';
import { jsonResponse, type RequestContext } from './http.ts';
import { type ListenOptions, serveHttps } from './https.ts';
import { Notifier, networkNotify } from './notifier.ts';
import type { TwinTenant } from './organization.ts';
import { type PlantedCause, plantedCauses } from './planted-causes.ts';
import { createRng } from './prng.ts';
import { type RequestKind, Stats } from './stats.ts';
import { SubscriptionRoutes } from './subscription-routes.ts';
import { Subscriptions } from './subscriptions.ts';
import { Throttle, type ThrottleBudgets } from './throttle.ts';
import { truthResponse } from './truth-routes.ts';
import type { NotifyFn } from './twin-types.ts';
import { World } from './world.ts';

/** The app registration the twin accepts unless told otherwise (printed by `calltrove twin`). */
export const twinDefaults = {
  tenantId: '5f1c3b6e-2d4a-4c8e-9b7a-0c11a11ca11e',
  clientId: '0c0ffee0-7417-4a11-8c0d-ca11709e0001',
  clientSecret: 'twin~Secret.0123456789-calltrove',
} as const;

export type { NotifyFn } from './twin-types.ts';

export interface TwinOptions {
  seed: number;
  /** Home-tenant members. */
  users: number;
  /** Days of history generated before clock.now(). */
  days: number;
  /** The simulated world's time: when calls happen, versions appear, notifications go out (--speed). */
  clock: Clock;
  /**
   * The time Graph's own limits run on: throttle windows, Retry-After values, storms, slow and timeout answers.
   * Graph throttles in real seconds whatever the simulated calls do, so a listening twin passes a SystemClock;
   * in-process tests on a ManualClock leave it out and move both with one clock.
   */
  graphClock?: Clock;
  faults?: 'none' | 'flaky' | 'storm' | Partial<FaultSettings>;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  throttle?: Partial<ThrottleBudgets>;
  /** Report traceRouteHops (Microsoft leaves them empty unless support enables them). */
  traceRoute?: boolean;
  notify?: NotifyFn;
}

export interface TwinListener {
  /** https://host:port — the authority base (CALLTROVE_AUTHORITY_URL). */
  url: string;
  /** https://host:port/v1.0 */
  graphUrl: string;
  /** https://host:port/<home tenant id> */
  authorityUrl: string;
  caPem: string;
  close(): Promise<void>;
}

export interface Twin {
  /** The whole HTTP surface; the host in the URL is not used for routing, only for the links served back. */
  fetch(request: Request): Promise<Response>;
  listen(options?: ListenOptions): Promise<TwinListener>;
  /** Stops generating calls and delivering notifications. */
  stop(): void;
  readonly tenants: readonly TwinTenant[];
  readonly homeTenantId: string;
  readonly credentials: { tenantId: string; clientId: string; clientSecret: string };
  /** The planted causes of this seed (the same list `/_twin/truth` serves). */
  readonly causes: readonly PlantedCause[];
  buildingsCsv(): string;
  /** `BSSID,APName,BuildingName,Floor` with a header: every corporate Wi-Fi BSSID the twin reports. */
  accessPointsCsv(): string;
  /** CQD's endpoint data file (tab-separated, no header) for the Teams Rooms the twin's calls name. */
  endpointsCsv(): string;
  /**
   * Faults on demand (also `POST /_twin/control` with the same JSON): `notifications: false` stops every change
   * notification while calls go on (Graph silently not delivering), `refuseSubscriptions` makes creating one fail
   * validation, `removeSubscriptions` deletes every subscription without a lifecycle notification.
   */
  control(c: TwinControl): void;
}

export interface TwinControl {
  /** Starts a 429 storm of this many (real) seconds now, whatever the fault profile. */
  stormSeconds?: number;
  notifications?: boolean;
  refuseSubscriptions?: boolean;
  removeSubscriptions?: boolean;
}

export function createTwin(options: TwinOptions): Twin {
  const credentials = {
    tenantId: options.tenantId ?? twinDefaults.tenantId,
    clientId: options.clientId ?? twinDefaults.clientId,
    clientSecret: options.clientSecret ?? twinDefaults.clientSecret,
  };
  const { clock, seed } = options;
  const graphClock = options.graphClock ?? clock;
  const world = new World({
    seed,
    users: options.users,
    days: options.days,
    clock,
    homeTenantId: credentials.tenantId,
    traceRoute: options.traceRoute ?? false,
  });
  const tenantIds = new Set(world.org.tenants.map((t) => t.id));
  const authority = new Authority(tenantIds, credentials, seed);
  const stats = new Stats();
  const faults = new FaultInjector(faultSettings(options.faults), graphClock, seed);
  const notifier = new Notifier(clock, options.notify ?? networkNotify, options.notify !== undefined);
  const subscriptionService = new Subscriptions(world, clock, notifier, stats, faults, seed);
  const subscriptions = new SubscriptionRoutes(subscriptionService);
  const graph = new GraphApi({
    world,
    authority,
    stats,
    seed,
    throttle: new Throttle(options.throttle),
    graphClock,
    faults,
    subscriptions,
  });
  const ids = createRng(seed, 'request-ids');
  const causes = plantedCauses(world.plan);
  const csv = (text: string) =>
    new Response(text, { headers: { 'content-type': 'text/csv; charset=utf-8' } });
  const files: Record<string, () => string> = {
    'buildings.csv': buildingsCsv,
    'access-points.csv': accessPointsCsv,
    'endpoints.tsv': () => endpointsCsv(world.org),
  };
  const control = (c: TwinControl) => {
    if (typeof c.stormSeconds === 'number' && c.stormSeconds > 0) faults.startStorm(c.stormSeconds * 1000);
    subscriptionService.control(c);
  };

  async function route(ctx: RequestContext): Promise<{ kind: RequestKind; response: Response }> {
    const path = ctx.url.pathname;
    const parts = path.split('/').filter(Boolean);
    const method = ctx.req.method;
    if (parts[0] === 'v1.0') return graph.handle(ctx);
    if (parts[0] === '_twin' && method === 'GET') {
      if (parts[1] === 'truth') return { kind: 'twin', response: truthResponse(world, causes, ctx.now) };
      if (parts[1] === 'stats') return { kind: 'twin', response: jsonResponse(stats) };
      const file = Object.hasOwn(files, parts[1]) ? files[parts[1]] : undefined;
      if (file) return { kind: 'twin', response: csv(file()) };
    }
    if (parts[0] === '_twin' && parts[1] === 'control' && method === 'POST') {
      const body = (await ctx.req.json().catch(() => null)) as TwinControl | null;
      if (!body || typeof body !== 'object')
        return {
          kind: 'twin',
          response: jsonResponse({ error: { code: 'BadRequest', message: 'send a JSON object' } }, 400),
        };
      control(body);
      return { kind: 'twin', response: jsonResponse({ ok: true }) };
    }
    if (parts[1] === 'discovery' && parts[2] === 'instance' && method === 'GET')
      return { kind: 'metadata', response: authority.instanceDiscovery(ctx) };
    if (
      parts.length === 4 &&
      parts[1] === 'v2.0' &&
      parts[2] === '.well-known' &&
      parts[3] === 'openid-configuration'
    )
      return { kind: 'metadata', response: authority.openidConfiguration(ctx, parts[0]) };
    if (parts.length === 4 && parts[1] === 'discovery' && parts[3] === 'keys')
      return { kind: 'metadata', response: jsonResponse({ keys: [] }) };
    if (
      parts.length === 4 &&
      parts[1] === 'oauth2' &&
      parts[2] === 'v2.0' &&
      parts[3] === 'token' &&
      method === 'POST'
    )
      return { kind: 'token', response: await authority.token(ctx, parts[0]) };
    return {
      kind: 'other',
      response: jsonResponse({ error: { code: 'NotFound', message: `Nothing is served at ${path}.` } }, 404),
    };
  }

  const twin: Twin = {
    async fetch(request) {
      const url = new URL(request.url);
      const ctx: RequestContext = {
        req: request,
        url,
        origin: url.origin,
        now: clock.now(),
        requestId: ids.uuid(),
      };
      const { kind, response } = await route(ctx);
      stats.record(kind, response.status);
      return response;
    },
    async listen(listenOptions = {}) {
      const server = await serveHttps((req) => twin.fetch(req), listenOptions);
      const listener: TwinListener = {
        url: server.url,
        graphUrl: `${server.url}/v1.0`,
        authorityUrl: `${server.url}/${credentials.tenantId}`,
        caPem: server.caPem,
        close: () => server.close(),
      };
      return listener;
    },
    stop() {
      world.stop();
      subscriptionService.stop();
    },
    tenants: world.org.tenants,
    homeTenantId: credentials.tenantId,
    credentials,
    causes,
    buildingsCsv,
    accessPointsCsv,
    endpointsCsv: () => endpointsCsv(world.org),
    control,
  };
  return twin;
}
