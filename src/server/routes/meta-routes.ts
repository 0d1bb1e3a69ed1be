// About the server and the caller: health (no token needed) and `me` (the role the dashboard adapts to).
import { createRoute } from '@hono/zod-openapi';
import { healthOf, healthPath } from '../../http/health.ts';
import { permissions } from '../../service/principal.ts';
import { apiBase, errorSchema, healthSchema, meSchema } from '../api-types.ts';
import type { Authenticator } from '../auth.ts';
import type { ApiApp, RouteDeps } from '../route-kit.ts';

export const healthRoute = createRoute({
  method: 'get',
  path: healthPath,
  tags: ['meta'],
  summary: 'Liveness and database reachability (no token needed)',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'A collector failing', content: { 'application/json': { schema: healthSchema } } },
    500: { description: 'Database unreachable', content: { 'application/json': { schema: errorSchema } } },
  },
});

export const meRoute = createRoute({
  method: 'get',
  path: `${apiBase}/me`,
  tags: ['meta'],
  summary: "The caller's role and what it may see",
  responses: {
    200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } },
    401: { description: 'No or unknown token', content: { 'application/json': { schema: errorSchema } } },
  },
});

export function registerMetaRoutes(app: ApiApp, deps: RouteDeps, auth: Authenticator): void {
  app.openapi(healthRoute, async (c) => {
    const { body, httpStatus } = await healthOf({ ping: () => deps.service.store.ping() });
    return c.json(body, httpStatus);
  });

  app.openapi(meRoute, (c) => {
    const p = c.get('principal');
    const { privacy } = deps.service.config;
    return c.json(
      {
        role: p.role,
        via: p.via,
        tokensRequired: auth.tokensRequired,
        can: { individuals: permissions.seeIndividuals(p), smallGroups: permissions.seeSmallGroups(p) },
        privacy: {
          minGroupSize: privacy.minGroupSize,
          mode: privacy.mode,
          dataLocation: privacy.dataLocation ?? null,
        },
      },
      200,
    );
  });
}
