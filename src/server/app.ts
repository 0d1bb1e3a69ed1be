// The HTTP application: REST API under /api/v1 (OpenAPI-described), the built dashboard at /, one error handler.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import { type Logger, silentLogger } from '../config/logger.ts';
import { CalltroveError } from '../errors.ts';
import { fromZod, installErrorBoundary } from '../http/error-boundary.ts';
import {
  configuredHosts,
  createHostPolicy,
  type HostPolicy,
  hostGuard,
  originGuard,
} from '../http/host-guard.ts';
import { type Audit, createService } from '../service/service.ts';
import type { Store } from '../store/store.ts';
import { apiBase } from './api-types.ts';
import { createAuthenticator } from './auth.ts';
import type { AppEnv, RouteDeps } from './route-kit.ts';
import { registerAlertRoutes } from './routes/alert-routes.ts';
import { registerCallRoutes } from './routes/call-routes.ts';
import { registerChangeRoutes } from './routes/change-routes.ts';
import { registerDashboardRoutes } from './routes/dashboard-routes.ts';
import { registerInsightRoutes } from './routes/insight-routes.ts';
import { registerMetaRoutes } from './routes/meta-routes.ts';
import { registerPstnRoutes } from './routes/pstn-routes.ts';
import { registerQualityRoutes } from './routes/quality-routes.ts';
import { registerReportRoutes } from './routes/report-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';

/** Where `vite build web` puts the dashboard. */
export const defaultDashboardDir = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface AppOptions {
  store: Store;
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Called on every investigator read of EUII: createAuditSink (src/privacy/audit.ts) in production. */
  audit: Audit;
  /** Folder of the built dashboard served at `/` (default dist/web); false serves the API only. */
  dashboardDir?: string | false;
  /** The host names answered (default: loopback, config.api.host, api.allowedHosts, the webhook URL's host). */
  hostPolicy?: HostPolicy;
}

/**
 * What the built dashboard may load: its own scripts, styles and API, images it draws (chart.js canvases exported
 * as data:/blob:). No inline or foreign script, no plugins, no framing; the browser test checks nothing is refused.
 * Inline styles stay allowed: the charts and the page set style attributes, and CSS cannot run code.
 */
const dashboardPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Every other answer (JSON, CSV) loads nothing at all if a browser ever renders it. */
const dataPolicy = "default-src 'none'; frame-ancestors 'none'";

/** Paths under the API that answer without a token. */
const publicPaths = new Set([`${apiBase}/health`, `${apiBase}/openapi.json`]);

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const deps: RouteDeps = {
    service: createService({
      store: options.store,
      config: options.config,
      clock: options.clock,
      audit: options.audit,
    }),
    logger: options.logger ?? silentLogger,
  };
  const auth = createAuthenticator(options.config.api);
  const app = new OpenAPIHono<AppEnv>({
    // Validation failures go to the one error handler below, like every other error.
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error as unknown as ZodError);
    },
  });

  // Errors become responses in one place, the same for the collector's webhook (src/http/error-boundary.ts).
  installErrorBoundary(app, deps.logger, 'the dashboard is at /, the API under /api/v1');

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
    if (!c.res.headers.has('content-security-policy')) c.header('content-security-policy', dataPolicy);
    if (c.req.path.startsWith(apiBase)) c.header('cache-control', 'no-store');
    // The route pattern, never the concrete path or query: user ids and search text are EUII.
    deps.logger.debug(
      {
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  // DNS rebinding: a foreign Host gets 421 before any route (the dashboard's page included) answers.
  const hosts =
    options.hostPolicy ??
    createHostPolicy({ bindHost: options.config.api.host, allowedHosts: configuredHosts(options.config) });
  app.use('*', hostGuard(hosts));
  app.use(`${apiBase}/*`, originGuard(hosts));

  app.use(`${apiBase}/*`, async (c, next) => {
    if (!publicPaths.has(c.req.path)) c.set('principal', auth.principalOf(c.req.header('authorization')));
    await next();
  });

  registerMetaRoutes(app, deps, auth);
  registerCallRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerQualityRoutes(app, deps);
  registerInsightRoutes(app, deps);
  registerChangeRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerPstnRoutes(app, deps);
  registerAlertRoutes(app, deps);

  app.doc(`${apiBase}/openapi.json`, {
    openapi: '3.0.3',
    info: {
      title: 'calltrove API',
      version: '1',
      description:
        'Microsoft Teams call records and CQD-style call-quality analytics. Send "Authorization: Bearer <token>" when the server has tokens configured; viewer tokens see aggregates only.',
    },
    // Needed once the server has tokens (health and this document excepted); without tokens, loopback only.
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  app.all(`${apiBase}/*`, () => {
    throw new CalltroveError('not_found', 'no such API route', {
      hint: `the routes are listed at ${apiBase}/openapi.json`,
    });
  });

  const dir = options.dashboardDir === undefined ? defaultDashboardDir : options.dashboardDir;
  if (dir && existsSync(dir)) {
    app.use('/assets/*', async (c, next) => {
      await next();
      // Vite names assets by content hash, so they never change under the same name.
      if (c.res.ok) c.header('cache-control', 'public, max-age=31536000, immutable');
    });
    app.use('/*', async (c, next) => {
      await next();
      if (c.res.headers.get('content-type')?.startsWith('text/html')) {
        c.header('cache-control', 'no-cache');
        c.header('content-security-policy', dashboardPolicy);
      }
    });
    app.use('/*', serveStatic({ root: dir }));
  }
  return app;
}
