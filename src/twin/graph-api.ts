// Graph's front door for the twin: bearer token -> tenant, then throttling, faults, and the route.
import type { Clock } from '../clock/clock.ts';
import type { Authority } from './auth.ts';
import type { FaultInjector } from './faults.ts';
import { CallRecordRoutes } from './graph-routes.ts';
import { graphErrorResponse, type RequestContext } from './http.ts';
import { PstnRoutes, parsePstnFunction } from './pstn-routes.ts';
import type { RequestKind, Stats } from './stats.ts';
import type { SubscriptionRoutes } from './subscription-routes.ts';
import type { Throttle } from './throttle.ts';
import type { World } from './world.ts';

export interface GraphApiDeps {
  world: World;
  authority: Authority;
  stats: Stats;
  seed: number;
  throttle: Throttle;
  /** Graph's real time for throttle windows (the world's simulated time is ctx.now). */
  graphClock: Clock;
  faults: FaultInjector;
  subscriptions: SubscriptionRoutes;
}

interface Route {
  kind: RequestKind;
  /** Throttling scopes this request counts against (besides the app+tenant budget). */
  scope: string | null;
  /** The record a request reads (record, sessions, participants), for the 404-after-notification fault. */
  recordId?: string;
  run: (ctx: RequestContext, tenantId: string, appId: string) => Response | Promise<Response>;
}

/** `callRecords/{id}` and `callRecords('{id}')` both address one record. */
function recordId(segment: string): string {
  const m = /^callRecords\('([^']*)'\)$/.exec(segment);
  return m ? m[1] : segment;
}

export class GraphApi {
  private readonly records: CallRecordRoutes;
  private readonly pstn: PstnRoutes;

  constructor(private readonly deps: GraphApiDeps) {
    this.records = new CallRecordRoutes(deps.world);
    this.pstn = new PstnRoutes(deps.world, deps.seed);
  }

  private route(ctx: RequestContext, parts: string[]): Route | null {
    const method = ctx.req.method;
    if (parts[0] === 'subscriptions')
      return {
        kind: 'subscription',
        scope: null,
        run: (c, t, a) => this.deps.subscriptions.handle(c, t, a, parts[1]),
      };
    if (method !== 'GET' || parts[0] !== 'communications') return null;
    // callRecords('id') arrives as one segment.
    if (parts[1]?.startsWith("callRecords('"))
      parts = ['communications', 'callRecords', recordId(parts[1]), ...parts.slice(2)];
    if (parts[1] !== 'callRecords') return null;
    const [, , id, sub] = parts;
    if (id === undefined) return { kind: 'list', scope: 'list', run: (c, t) => this.records.list(c, t) };
    const fn = parsePstnFunction(id);
    if (fn)
      return { kind: 'pstn', scope: `pstn:${fn.fn}`, run: (c, t) => this.pstn.handle(c, t, fn.fn, fn.args) };
    if (parts.length > 4) return null;
    if (sub === undefined)
      return {
        kind: 'record',
        scope: `record:${id}`,
        recordId: id,
        run: (c, t) => this.records.get(c, t, id),
      };
    if (sub === 'sessions')
      return {
        kind: 'sessions',
        scope: `record:${id}`,
        recordId: id,
        run: (c, t) => this.records.sessions(c, t, id),
      };
    if (sub === 'participants_v2')
      return {
        kind: 'participants',
        scope: `record:${id}`,
        recordId: id,
        run: (c, t) => this.records.participants(c, t, id),
      };
    return null;
  }

  /** Handles /v1.0/...: returns the response and the kind it is counted as. */
  async handle(ctx: RequestContext): Promise<{ kind: RequestKind; response: Response }> {
    const parts = ctx.url.pathname
      .split('/')
      .slice(2)
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
    const route = this.route(ctx, parts);
    const kind = route?.kind ?? 'other';
    const claims = this.deps.authority.verifyBearer(ctx.req.headers.get('authorization'), ctx.now);
    if ('problem' in claims)
      return {
        kind,
        response: graphErrorResponse(ctx, 401, 'InvalidAuthenticationToken', claims.problem, {
          'www-authenticate': `Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
        }),
      };
    if (!route)
      return {
        kind,
        response: graphErrorResponse(
          ctx,
          400,
          'BadRequest',
          `Resource not found for the segment '${parts.at(-1) ?? ''}'.`,
        ),
      };
    const tenantId = claims.tid;
    const limited = this.deps.throttle.check(kind, tenantId, route.scope, this.deps.graphClock.now());
    if (limited) return { kind, response: limited(ctx) };
    const fault = await this.deps.faults.before(kind, ctx);
    if (fault) return { kind, response: fault };
    if (route.recordId && this.deps.faults.hidesRecord(route.recordId, tenantId, ctx.now))
      return {
        kind,
        response: graphErrorResponse(
          ctx,
          404,
          'NotFound',
          `The call record '${route.recordId}' was not found.`,
        ),
      };
    return { kind, response: await route.run(ctx, tenantId, claims.appid) };
  }
}
