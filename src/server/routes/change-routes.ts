// "What changed": GET /changes compares a recent window with the baseline before it and names, for each metric worse
// beyond noise, the values that explain it (docs/analytics.md), as JSON or a CSV of those values.
import { createRoute, z } from '@hono/zod-openapi';
import { parseQualityQuery, resolveChangeWindows } from '../../analytics/parse-quality-query.ts';
import { dimensions } from '../../analytics/quality-query.ts';
import { CalltroveError } from '../../errors.ts';
import { changeColumns, changeDriverRows } from '../../service/change-columns.ts';
import { changesReport } from '../../service/changes.ts';
import { apiBase, dimensionFilters, errorSchema, formatParam, timeRangeQuery } from '../api-types.ts';
import { type ApiApp, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';

const changesQuery = timeRangeQuery.extend({
  baseline: z
    .string()
    .optional()
    .openapi({ description: 'The baseline before since: a length (30d, the default) or the date it starts' }),
  limit: z
    .string()
    .optional()
    .openapi({ description: 'At most this many explaining values per metric (10)' }),
  format: formatParam,
  ...dimensionFilters,
});

const windowRate = z.object({ streams: z.number(), events: z.number(), percent: z.number().nullable() });
const driverSchema = z.object({
  rank: z.number(),
  dimensions: z.array(z.string()),
  values: z.array(z.string()),
  label: z.string(),
  recent: windowRate,
  baseline: windowRate,
  baselineOf: z.enum(['value', 'scope']),
  impact: z.number(),
  shareOfChangePercent: z.number(),
  z: z.number(),
  users: z.number(),
  explainedBy: z.string().optional(),
});
const changeRowSchema = z
  .object({
    metric: z.enum(['poor-percent', 'setup-failure-percent', 'drop-failure-percent', 'poor-rating-percent']),
    label: z.string(),
    mediaType: z.array(z.string()),
    recent: windowRate,
    baseline: windowRate,
    changePoints: z.number(),
    z: z.number(),
    worse: z.boolean(),
    drivers: z.array(driverSchema),
    explained: z.array(driverSchema),
  })
  .openapi('ChangeRow');
const window = z.object({ since: z.number(), until: z.number() });

export const changesRoute = createRoute({
  method: 'get',
  path: `${apiBase}/changes`,
  tags: ['analytics'],
  summary: 'What changed: metrics worse than their baseline beyond noise, with the values that explain them',
  description:
    'The recent window defaults to the last 7 days and the baseline to the 30 days before it. The scope is audio ' +
    `unless media-type is given; any dimension (${dimensions.join(', ')}) filters it.`,
  request: { query: changesQuery },
  responses: {
    200: {
      description: 'The metrics that got worse (changes) and those that did not (unchanged)',
      content: {
        'application/json': {
          schema: z
            .object({
              recent: window,
              baseline: window,
              filters: z.record(z.string(), z.array(z.string()).optional()),
              thresholds: z.record(z.string(), z.number()),
              changes: z.array(changeRowSchema),
              unchanged: z.array(changeRowSchema),
              hiddenSmallGroups: z.number(),
            })
            .openapi('Changes'),
        },
        'text/csv': { schema: { type: 'string' } },
      },
    },
    400: {
      description: 'Unknown filter, bad date',
      content: { 'application/json': { schema: errorSchema } },
    },
    403: {
      description: 'A user filter for a viewer',
      content: { 'application/json': { schema: errorSchema } },
    },
  },
});

export function registerChangeRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(changesRoute, async (c) => {
    rejectUnknownParams(
      c,
      Object.keys(changesQuery.shape),
      'valid parameters: since, until, baseline, tz, limit, format, and a filter per dimension',
    );
    const q = c.req.query();
    const now = deps.service.clock.now();
    const w = resolveChangeWindows(q, now);
    const { filters } = parseQualityQuery(
      { filters: dimensions.filter((d) => q[d] !== undefined).map((d) => `${d}=${q[d]}`) },
      now,
      q.tz,
    );
    const limit = q.limit === undefined ? 10 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new CalltroveError('bad_request', `bad limit "${q.limit}"`, { hint: 'a whole number ≥ 1' });
    const { format } = changesQuery.pick({ format: true }).parse({ format: q.format });
    const answer = await changesReport(deps.service, c.get('principal'), { ...w, filters, limit });
    return tableAnswer(c, format, answer, {
      rows: changeDriverRows(answer),
      columns: changeColumns,
      name: 'changes',
    });
  });
}
