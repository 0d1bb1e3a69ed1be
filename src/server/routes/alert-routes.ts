// /api/v1/alerts: what fires, the history and the rules (every role); acknowledge and mute (investigators).
import { createRoute, z } from '@hono/zod-openapi';
import { acknowledge, alertDetail, alertsOverview, mute, unmute } from '../../service/alerts.ts';
import {
  alertDetailSchema,
  alertSchema,
  alertsOverviewSchema,
  muteBodySchema,
  muteSchema,
  unmutedSchema,
} from '../alert-schemas.ts';
import { apiBase, errorSchema } from '../api-types.ts';
import type { ApiApp, RouteDeps } from '../route-kit.ts';

const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(errorSchema, 'Bad request'),
  403: json(errorSchema, 'Needs the investigator role'),
  404: json(errorSchema, 'No such alert or rule'),
};

export function registerAlertRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/alerts`,
      tags: ['alerts'],
      summary:
        'Firing alerts, the latest resolved ones, mutes, the rules in force and the channels (no secrets)',
      request: { query: z.object({ history: z.coerce.number().int().min(0).max(500).optional() }) },
      responses: { 200: json(alertsOverviewSchema, 'Alerts'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await alertsOverview(deps.service, c.get('principal'), q.history ?? 50), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/alerts/{id}`,
      tags: ['alerts'],
      summary: "One alert with its history and its messages' delivery",
      request: { params: idParam },
      responses: { 200: json(alertDetailSchema, 'The alert'), ...errors },
    }),
    async (c) => c.json(await alertDetail(deps.service, c.get('principal'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${apiBase}/alerts/{id}/ack`,
      tags: ['alerts'],
      summary: 'Acknowledge a firing alert: no more "worse" messages for it; it still says when it resolves',
      request: { params: idParam },
      responses: {
        200: json(alertSchema, 'The acknowledged alert'),
        409: json(errorSchema, 'Already resolved'),
        ...errors,
      },
    }),
    async (c) => c.json(await acknowledge(deps.service, c.get('principal'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${apiBase}/alerts/mutes`,
      tags: ['alerts'],
      summary: 'Hold back messages of an alert, a rule and scope, or a whole rule for a while',
      request: { body: { content: { 'application/json': { schema: muteBodySchema } }, required: true } },
      responses: { 200: json(muteSchema, 'The mute'), ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await mute(deps.service, c.get('principal'), body.target, body.for), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${apiBase}/alerts/mutes/{id}`,
      tags: ['alerts'],
      summary: 'End a mute early',
      request: { params: idParam },
      responses: { 200: json(unmutedSchema, 'How many mutes ended (0 or 1)'), ...errors },
    }),
    async (c) =>
      c.json({ ended: await unmute(deps.service, c.get('principal'), c.req.valid('param').id) }, 200),
  );
}
