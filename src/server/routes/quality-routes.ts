// The quality query: any dimensions, measures and filters over the stream rollups (CQD-style), as JSON or CSV.
import { createRoute } from '@hono/zod-openapi';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import { dimensionKey, dimensions, type QualityQuery } from '../../analytics/quality-query.ts';
import { columnsOf } from '../../format/csv.ts';
import { qualityReport } from '../../service/quality.ts';
import { apiBase, errorSchema, qualityAnswerSchema, qualityQuery } from '../api-types.ts';
import { type ApiApp, type Ctx, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';

export const qualityRoute = createRoute({
  method: 'get',
  path: `${apiBase}/quality`,
  tags: ['analytics'],
  summary: 'Quality query: group streams by dimensions, compute measures, filter by dimension values',
  description: `Dimensions: ${dimensions.join(', ')}. Any dimension name is also a filter parameter (building=HQ,Lab).`,
  request: { query: qualityQuery },
  responses: {
    200: {
      description: 'Rows, one per group',
      content: {
        'application/json': { schema: qualityAnswerSchema },
        'text/csv': { schema: { type: 'string' } },
      },
    },
    400: {
      description: 'Unknown dimension or measure, bad date',
      content: { 'application/json': { schema: errorSchema } },
    },
    403: {
      description: 'Per-user rows for a viewer',
      content: { 'application/json': { schema: errorSchema } },
    },
  },
});

/** Reads `by`, `measures`, the time range and `<dimension>=values` filters from the request. */
export function qualityQueryOf(c: Ctx, deps: RouteDeps): { query: QualityQuery; format?: 'json' | 'csv' } {
  rejectUnknownParams(
    c,
    Object.keys(qualityQuery.shape),
    `valid parameters: by, measures, since, until, orderBy, limit, minClassifiedStreams, format, and a filter per dimension (${dimensions.join(', ')})`,
  );
  const q = c.req.query();
  const filters = dimensions.filter((d) => q[d] !== undefined).map((d) => `${d}=${q[d]}`);
  const query = parseQualityQuery(
    {
      by: q.by,
      measures: q.measures,
      since: q.since,
      until: q.until,
      orderBy: q.orderBy,
      limit: q.limit,
      minClassifiedStreams: q.minClassifiedStreams,
      filters,
    },
    deps.service.clock.now(),
    q.tz,
  );
  const { format } = qualityQuery.pick({ format: true }).parse({ format: q.format });
  return { query, format };
}

export function registerQualityRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(qualityRoute, async (c) => {
    const { query, format } = qualityQueryOf(c, deps);
    const answer = await qualityReport(deps.service, c.get('principal'), query);
    const keys = [...query.by.map(dimensionKey), ...answer.measures];
    return tableAnswer(
      c,
      format,
      { by: query.by, measures: answer.measures, rows: answer.rows, suppressed: answer.suppressed },
      { rows: answer.rows, columns: columnsOf(keys), name: `quality-${query.by.join('-') || 'total'}` },
    );
  });
}
