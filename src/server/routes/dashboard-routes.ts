// The dashboard's ready-made questions on stream quality: overview, worst buildings / subnets / client
// versions, CQD's missing-subnet report, and the building map.
import { createRoute, z } from '@hono/zod-openapi';
import { parseDimension, parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import { dimensionKey, dimensions, type ReportWindow } from '../../analytics/quality-query.ts';
import { columnsOf, columnsOfRows, keysOfRows } from '../../format/csv.ts';
import { buildingMap } from '../../service/buildings.ts';
import {
  dimensionValues,
  missingSubnetColumns,
  missingSubnetsReport,
  overviewReport,
  type WorstList,
  worstReport,
} from '../../service/dashboard.ts';
import { apiBase, errorSchema } from '../api-types.ts';
import {
  buildingSchema,
  buildingsQuery,
  buildingsSchema,
  dimensionValuesSchema,
  missingSubnetsQuery,
  overviewSchema,
  rowsAnswerSchema,
  tableParam,
  windowQuery,
  worstQuery,
} from '../dashboard-schemas.ts';
import { type ApiApp, type Ctx, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';

export const errors = {
  400: { description: 'Bad period or filter', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'No or unknown token', content: { 'application/json': { schema: errorSchema } } },
} as const;

export const jsonOrCsv = <S extends z.ZodType>(schema: S, description: string) => ({
  200: {
    description,
    content: { 'application/json': { schema }, 'text/csv': { schema: { type: 'string' as const } } },
  },
  ...errors,
});

/** The period and `<dimension>=values` filters of a dashboard request (a per-user filter is the service's to judge). */
export function windowOf(c: Ctx, deps: RouteDeps, shape: Record<string, unknown>): ReportWindow {
  rejectUnknownParams(
    c,
    Object.keys(shape),
    `valid parameters: ${Object.keys(shape)
      .filter((k) => !(dimensions as readonly string[]).includes(k))
      .join(', ')}, and a filter per dimension (${dimensions.join(', ')})`,
  );
  const q = c.req.query();
  const parsed = parseQualityQuery(
    { since: q.since, until: q.until, filters: filterTexts(q) },
    deps.service.clock.now(),
    q.tz,
  );
  return { since: parsed.since, until: parsed.until, filters: parsed.filters };
}

/** The `<dimension>=values` parameters of a request as filter texts, less the ones a route reads itself. */
export function filterTexts(q: Record<string, string | undefined>, except: readonly string[] = []): string[] {
  return dimensions.filter((d) => q[d] !== undefined && !except.includes(d)).map((d) => `${d}=${q[d]}`);
}

/** The quality filters of a list request (users, calls), checked as /quality checks them. */
export function listFiltersOf(c: Ctx, except: readonly string[] = []): ReportWindow['filters'] {
  const filters = parseQualityQuery({ filters: filterTexts(c.req.query(), except) }, 0).filters;
  return Object.keys(filters).length ? filters : undefined;
}

const worstLists: { path: WorstList; name: string; what: string }[] = [
  { path: 'buildings', name: 'WorstBuildings', what: 'Buildings' },
  { path: 'subnets', name: 'WorstSubnets', what: 'Subnets (with their building)' },
  { path: 'client-versions', name: 'WorstClientVersions', what: 'Client versions' },
];

const overviewQuery = windowQuery.extend({ table: tableParam(['byDay', 'byNetworkType']) });

const valuesQuery = windowQuery.extend({
  dimension: z.string().openapi({ description: 'Comma-separated dimensions whose values to list' }),
});

export function registerDashboardRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/overview`,
      tags: ['dashboard'],
      summary: 'Totals, calls / minutes / poor % per day, audio poor % by network type',
      request: { query: overviewQuery },
      responses: jsonOrCsv(overviewSchema, 'The overview (CSV: one of its tables)'),
    }),
    async (c) => {
      const window = windowOf(c, deps, overviewQuery.shape);
      const q = c.req.valid('query');
      const body = await overviewReport(deps.service, c.get('principal'), window);
      const rows = q.table === 'byNetworkType' ? body.byNetworkType : body.byDay;
      return tableAnswer(c, q.format, body, {
        rows,
        columns: columnsOfRows(rows),
        name: `overview-${q.table ?? 'byDay'}`,
      });
    },
  );

  for (const list of worstLists)
    app.openapi(
      createRoute({
        method: 'get',
        path: `${apiBase}/worst/${list.path}`,
        tags: ['dashboard'],
        summary: `${list.what} ranked by audio poor stream rate, worst first`,
        request: { query: worstQuery },
        responses: jsonOrCsv(rowsAnswerSchema, `${list.what}, worst first`),
      }),
      async (c) => {
        const window = windowOf(c, deps, worstQuery.shape);
        const q = c.req.valid('query');
        const { by, ...answer } = await worstReport(deps.service, c.get('principal'), list.path, {
          ...window,
          limit: q.limit,
          minClassifiedStreams: q.minClassifiedStreams,
        });
        const dims: string[] = by.map(dimensionKey);
        const keys = [...dims, ...keysOfRows(answer.rows).filter((k) => !dims.includes(k))];
        return tableAnswer(c, q.format, answer, {
          rows: answer.rows,
          columns: columnsOf(keys),
          name: `worst-${list.path}`,
        });
      },
    );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/missing-subnets`,
      tags: ['dashboard'],
      summary:
        "CQD's missing-subnet report: subnets with 10+ audio streams from the tenant's own users that no building covers; kind corporate (inside by egress or DNS suffix, with suggestedBuilding) first, carrier-grade NAT and home networks set apart",
      request: { query: missingSubnetsQuery },
      responses: jsonOrCsv(rowsAnswerSchema, 'Subnets, most streams first'),
    }),
    async (c) => {
      const window = windowOf(c, deps, missingSubnetsQuery.shape);
      const q = c.req.valid('query');
      const answer = await missingSubnetsReport(deps.service, c.get('principal'), {
        ...window,
        minStreams: q.minStreams,
        limit: q.limit,
      });
      return tableAnswer(c, q.format, answer, {
        rows: answer.rows,
        columns: columnsOf(missingSubnetColumns),
        name: 'missing-subnets',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/dimension-values`,
      tags: ['dashboard'],
      summary: "The values dimensions take in the period, most streams first (the dashboard's filter bar)",
      request: { query: valuesQuery },
      responses: {
        200: {
          description: 'Per dimension: value (null: unknown) and streams',
          content: { 'application/json': { schema: dimensionValuesSchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const window = windowOf(c, deps, valuesQuery.shape);
      const q = c.req.valid('query');
      const dims = q.dimension.split(',').map((d) => parseDimension(d.trim()));
      const values = await dimensionValues(deps.service, c.get('principal'), window, dims);
      return c.json({ values }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/buildings`,
      tags: ['dashboard'],
      summary: 'The building map (CQD building data file) as imported',
      request: { query: buildingsQuery },
      responses: jsonOrCsv(buildingsSchema, 'Building rows in file order'),
    }),
    async (c) => {
      rejectUnknownParams(c, Object.keys(buildingsQuery.shape));
      const q = c.req.valid('query');
      const buildings = await buildingMap(deps.service);
      return tableAnswer(
        c,
        q.format,
        { buildings },
        {
          rows: buildings,
          columns: columnsOf(Object.keys(buildingSchema.shape)),
          name: 'buildings',
        },
      );
    },
  );
}
