// The quality query: any dimensions, measures and filters over the stream rollups (CQD-style), as JSON or CSV.
import { createRoute } from '@hono/zod-openapi';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import {
  type Dimension,
  defaultMeasures,
  dimensionKey,
  dimensions,
  type QualityQuery,
  type QualityRow,
} from '../../analytics/quality-query.ts';
import { queryQuality } from '../../analytics/query-quality.ts';
import { columnsOf } from '../../format/csv.ts';
import { apiBase, errorSchema, qualityAnswerSchema, qualityQuery } from '../api-types.ts';
import { permissions, requireIndividuals } from '../auth.ts';
import {
  type ApiApp,
  auditRead,
  type Ctx,
  type RouteDeps,
  rejectUnknownParams,
  tableAnswer,
} from '../context.ts';

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
    deps.clock.now(),
  );
  const { format } = qualityQuery.pick({ format: true }).parse({ format: q.format });
  return { query, format };
}

/** Grouping or filtering by user shows individuals. */
export const touchesUsers = (q: QualityQuery): boolean =>
  q.by.includes('user') || q.filters.user !== undefined;

export interface GroupedRows {
  rows: QualityRow[];
  suppressed: boolean;
}

/**
 * Runs a quality query for a caller: small groups are folded for callers who may not see them (the suppression
 * seam adds the measures it needs and they are dropped again before answering).
 */
export async function qualityFor(c: Ctx, deps: RouteDeps, query: QualityQuery): Promise<GroupedRows> {
  const principal = c.get('principal');
  const requested = query.measures ?? [...defaultMeasures];
  if (permissions.seeSmallGroups(principal) || deps.config.privacy.minGroupSize <= 1)
    return { rows: await queryQuality(deps.store.db, { ...query, measures: requested }), suppressed: false };
  const extra = deps.suppression.needs(requested).filter((m) => !requested.includes(m));
  const rows = await queryQuality(deps.store.db, { ...query, measures: [...requested, ...extra] });
  const keys = query.by.map((d: Dimension) => dimensionKey(d));
  const folded = deps.suppression.apply(rows, { keys, minGroupSize: deps.config.privacy.minGroupSize });
  for (const row of folded) for (const m of extra) delete (row as Record<string, unknown>)[m];
  return { rows: folded, suppressed: true };
}

export function registerQualityRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(qualityRoute, async (c) => {
    const { query, format } = qualityQueryOf(c, deps);
    if (touchesUsers(query)) requireIndividuals(c.get('principal'), 'per-user quality rows');
    const answer = await qualityFor(c, deps, query);
    if (touchesUsers(query))
      await auditRead(c, deps, 'quality.individuals', new URL(c.req.url).search, answer.rows.length);
    const measures = query.measures ?? [...defaultMeasures];
    const keys = [...query.by.map(dimensionKey), ...measures];
    return tableAnswer(
      c,
      format,
      { by: query.by, measures, rows: answer.rows, suppressed: answer.suppressed },
      { rows: answer.rows, columns: columnsOf(keys), name: `quality-${query.by.join('-') || 'total'}` },
    );
  });
}
