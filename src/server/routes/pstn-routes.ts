// PSTN and Direct Routing calls one by one, for investigators (the admin center's PSTN usage reports): user,
// number type, numbers, duration, charge; or SBC, final SIP code and outcome. Every read is audited.
import { createRoute, z } from '@hono/zod-openapi';
import type { PstnListQuery } from '../../analytics/list-pstn-calls.ts';
import { parseTimeRange } from '../../analytics/parse-quality-query.ts';
import { columnsOf } from '../../format/csv.ts';
import { directRoutingCallList, pstnCallList } from '../../service/reports.ts';
import { apiBase, errorSchema, formatParam, timeRangeQuery } from '../api-types.ts';
import { directRoutingCallsSchema, pstnCallsSchema } from '../dashboard-schemas.ts';
import { type ApiApp, type Ctx, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';

const listQuery = timeRangeQuery.extend({
  user: z.string().optional().openapi({ description: 'Entra object id or UPN' }),
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  format: formatParam,
});

const errors = {
  400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'Viewer role', content: { 'application/json': { schema: errorSchema } } },
} as const;

function listOf(c: Ctx, deps: RouteDeps): { q: PstnListQuery; format?: 'json' | 'csv' } {
  rejectUnknownParams(c, Object.keys(listQuery.shape));
  const raw = listQuery.parse(c.req.query());
  const now = deps.service.clock.now();
  const { since, until } = parseTimeRange(raw.since, raw.until, now, undefined, raw.tz);
  return { q: { since, until, user: raw.user, limit: raw.limit, offset: raw.offset }, format: raw.format };
}

export function registerPstnRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/pstn/calls`,
      tags: ['calls'],
      summary:
        'Calling Plan and Operator Connect calls, newest first: user, number type, duration, charge (investigator)',
      request: { query: listQuery },
      responses: {
        200: {
          description: 'One page of PSTN calls',
          content: {
            'application/json': { schema: pstnCallsSchema },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { q, format } = listOf(c, deps);
      const list = await pstnCallList(deps.service, c.get('principal'), q);
      return tableAnswer(c, format, list, {
        rows: list.calls,
        columns: columnsOf(Object.keys(pstnCallsSchema.shape.calls.element.shape)),
        name: 'pstn-calls',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/direct-routing/calls`,
      tags: ['calls'],
      summary: 'Direct Routing calls, newest first: user, SBC, final SIP code and outcome (investigator)',
      request: { query: listQuery },
      responses: {
        200: {
          description: 'One page of Direct Routing calls',
          content: {
            'application/json': { schema: directRoutingCallsSchema },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { q, format } = listOf(c, deps);
      const list = await directRoutingCallList(deps.service, c.get('principal'), q);
      return tableAnswer(c, format, list, {
        rows: list.calls,
        columns: columnsOf(Object.keys(directRoutingCallsSchema.shape.calls.element.shape)),
        name: 'direct-routing-calls',
      });
    },
  );
}
