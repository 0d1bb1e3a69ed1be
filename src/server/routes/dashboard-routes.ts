// The dashboard's ready-made questions on stream quality: overview, worst buildings / subnets / client
// versions, CQD's missing-subnet report, and the building map.
import { createRoute, type z } from '@hono/zod-openapi';
import { getOverview } from '../../analytics/get-overview.ts';
import { listMissingSubnets } from '../../analytics/list-missing-subnets.ts';
import type { WorstOptions } from '../../analytics/list-worst-buildings.ts';
import { listWorstBuildings } from '../../analytics/list-worst-buildings.ts';
import { listWorstClientVersions } from '../../analytics/list-worst-client-versions.ts';
import { listWorstSubnets } from '../../analytics/list-worst-subnets.ts';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import {
  type Dimension,
  dimensionKey,
  dimensions,
  type QualityRow,
  type ReportWindow,
} from '../../analytics/quality-query.ts';
import { columnsOf } from '../../format/csv.ts';
import { listBuildings } from '../../store/buildings.ts';
import type { Db } from '../../store/db.ts';
import { apiBase, errorSchema } from '../api-types.ts';
import { requireIndividuals } from '../auth.ts';
import {
  type ApiApp,
  auditRead,
  type Ctx,
  type RouteDeps,
  rejectUnknownParams,
  tableAnswer,
} from '../context.ts';
import {
  buildingSchema,
  buildingsQuery,
  buildingsSchema,
  missingSubnetsQuery,
  overviewSchema,
  rowsAnswerSchema,
  tableParam,
  windowQuery,
  worstQuery,
} from '../dashboard-schemas.ts';
import { suppressRows } from '../suppress-rows.ts';

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

/**
 * The period and `<dimension>=values` filters of a dashboard request. Filtering by user narrows an answer to one
 * person: it needs the investigator role and is audited like any other read of individuals.
 */
export async function windowOf(
  c: Ctx,
  deps: RouteDeps,
  shape: Record<string, unknown>,
): Promise<ReportWindow> {
  rejectUnknownParams(
    c,
    Object.keys(shape),
    `valid parameters: ${Object.keys(shape)
      .filter((k) => !(dimensions as readonly string[]).includes(k))
      .join(', ')}, and a filter per dimension (${dimensions.join(', ')})`,
  );
  const q = c.req.query();
  const filters = dimensions.filter((d) => q[d] !== undefined).map((d) => `${d}=${q[d]}`);
  const parsed = parseQualityQuery({ since: q.since, until: q.until, filters }, deps.clock.now());
  if (parsed.filters.user) {
    requireIndividuals(c.get('principal'), 'per-user filters');
    await auditRead(c, deps, 'quality.individuals', new URL(c.req.url).search);
  }
  return { since: parsed.since, until: parsed.until, filters: parsed.filters };
}

const audio = (w: ReportWindow): ReportWindow => ({
  ...w,
  filters: { ...(w.filters ?? {}), 'media-type': ['audio'] },
});

const worstLists: {
  path: string;
  name: string;
  by: Dimension[];
  run: (db: Db, o: WorstOptions) => Promise<QualityRow[]>;
  what: string;
}[] = [
  {
    path: 'buildings',
    name: 'WorstBuildings',
    by: ['building', 'city', 'country'],
    run: listWorstBuildings,
    what: 'Buildings',
  },
  {
    path: 'subnets',
    name: 'WorstSubnets',
    by: ['subnet', 'building'],
    run: listWorstSubnets,
    what: 'Subnets (with their building)',
  },
  {
    path: 'client-versions',
    name: 'WorstClientVersions',
    by: ['client-version', 'product-family'],
    run: listWorstClientVersions,
    what: 'Client versions',
  },
];

const overviewQuery = windowQuery.extend({ table: tableParam(['byDay', 'byNetworkType']) });

const rowKeys = (rows: QualityRow[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))];

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
      const window = await windowOf(c, deps, overviewQuery.shape);
      const q = c.req.valid('query');
      const o = await getOverview(deps.store.db, window);
      const byDay = await suppressRows(c, deps, o.byDay, ['day'], window);
      const byNetworkType = await suppressRows(c, deps, o.byNetworkType, ['network-type'], audio(window));
      const body = {
        ...o,
        byDay: byDay.rows,
        byNetworkType: byNetworkType.rows,
        suppressed: byDay.suppressed,
      };
      const rows = q.table === 'byNetworkType' ? body.byNetworkType : body.byDay;
      return tableAnswer(c, q.format, body, {
        rows,
        columns: columnsOf(rowKeys(rows)),
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
        const window = await windowOf(c, deps, worstQuery.shape);
        const q = c.req.valid('query');
        const rows = await list.run(deps.store.db, {
          ...window,
          limit: q.limit,
          minClassifiedStreams: q.minClassifiedStreams,
        });
        const answer = await suppressRows(c, deps, rows, list.by, audio(window));
        const keys = [
          ...list.by.map(dimensionKey),
          ...rowKeys(answer.rows).filter((k) => !list.by.map(dimensionKey).includes(k as never)),
        ];
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
      summary: "CQD's missing-subnet report: subnets with enough audio streams that no building covers",
      request: { query: missingSubnetsQuery },
      responses: jsonOrCsv(rowsAnswerSchema, 'Subnets, most streams first'),
    }),
    async (c) => {
      const window = await windowOf(c, deps, missingSubnetsQuery.shape);
      const q = c.req.valid('query');
      const rows = await listMissingSubnets(deps.store.db, {
        ...window,
        minStreams: q.minStreams,
        limit: q.limit,
      });
      const answer = await suppressRows(
        c,
        deps,
        rows,
        ['subnet'],
        audio({ ...window, filters: { ...window.filters, building: [''] } }),
      );
      return tableAnswer(c, q.format, answer, {
        rows: answer.rows,
        columns: columnsOf(['subnet', 'streams', 'classifiedStreams', 'poorPercent']),
        name: 'missing-subnets',
      });
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
      const buildings = await listBuildings(deps.store.db);
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
