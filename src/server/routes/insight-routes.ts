// "Where is the problem?": GET /causes ranks the values (and pairs) that explain the most poor streams beyond the
// scope's normal rate (docs/analytics.md), as JSON or a CSV of its causes.
import { createRoute, z } from '@hono/zod-openapi';
import type { CauseRow } from '../../analytics/cause-types.ts';
import { parseQualityQuery } from '../../analytics/parse-quality-query.ts';
import { dimensions } from '../../analytics/quality-query.ts';
import { CalltroveError } from '../../errors.ts';
import { causesReport } from '../../service/causes.ts';
import { apiBase, dimensionFilters, errorSchema, formatParam, timeRangeQuery } from '../api-types.ts';
import { type ApiApp, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';

const causesQuery = timeRangeQuery.extend({
  limit: z.string().optional().openapi({ description: 'At most this many causes (default 20)' }),
  format: formatParam,
  ...dimensionFilters,
});

const causeRowSchema = z
  .object({
    rank: z.number(),
    dimensions: z.array(z.string()),
    values: z.array(z.string()),
    label: z.string(),
    streams: z.number(),
    classifiedStreams: z.number(),
    poorStreams: z.number(),
    poorPercent: z.number(),
    restPoorPercent: z.number(),
    excessPoorStreams: z.number(),
    shareOfPoorPercent: z.number(),
    z: z.number(),
    topReasons: z.array(z.object({ measure: z.string(), reason: z.string(), poorStreams: z.number() })),
    users: z.number(),
    explains: z.array(z.string()),
    explainedBy: z.string().nullable(),
    links: z.object({ users: z.string(), calls: z.string() }),
  })
  .openapi('CauseRow');

const causesAnswerSchema = z
  .object({
    scope: z.object({
      since: z.number().nullable(),
      until: z.number().nullable(),
      filters: z.record(z.string(), z.array(z.string()).optional()),
      classifiedStreams: z.number(),
      poorStreams: z.number(),
      poorPercent: z.number().nullable(),
    }),
    thresholds: z.record(z.string(), z.number()),
    dimensions: z.array(z.string()),
    causes: z.array(causeRowSchema),
    explained: z.array(causeRowSchema),
    hiddenSmallGroups: z.number(),
  })
  .openapi('Causes');

export const causesRoute = createRoute({
  method: 'get',
  path: `${apiBase}/causes`,
  tags: ['analytics'],
  summary: 'Where is the problem: the causes of poor streams, most specific first, with what each explains',
  description: `The scope is audio unless media-type is given; any dimension (${dimensions.join(', ')}) filters it.`,
  request: { query: causesQuery },
  responses: {
    200: {
      description: 'Ranked causes and the groups they explain',
      content: {
        'application/json': { schema: causesAnswerSchema },
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

const csvColumns: { header: string; value: (r: CauseRow) => string | number | null }[] = [
  { header: 'rank', value: (r) => r.rank },
  { header: 'dimensions', value: (r) => r.dimensions.join('+') },
  { header: 'values', value: (r) => r.values.join('+') },
  { header: 'classifiedStreams', value: (r) => r.classifiedStreams },
  { header: 'poorStreams', value: (r) => r.poorStreams },
  { header: 'poorPercent', value: (r) => r.poorPercent },
  { header: 'excessPoorStreams', value: (r) => r.excessPoorStreams },
  { header: 'shareOfPoorPercent', value: (r) => r.shareOfPoorPercent },
  { header: 'z', value: (r) => r.z },
  { header: 'users', value: (r) => r.users },
];

export function registerInsightRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(causesRoute, async (c) => {
    rejectUnknownParams(
      c,
      Object.keys(causesQuery.shape),
      `valid parameters: since, until, tz, limit, format, and a filter per dimension`,
    );
    const q = c.req.query();
    const query = parseQualityQuery(
      {
        since: q.since,
        until: q.until,
        filters: dimensions.filter((d) => q[d] !== undefined).map((d) => `${d}=${q[d]}`),
      },
      deps.service.clock.now(),
      q.tz,
    );
    const limit = q.limit === undefined ? 20 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new CalltroveError('bad_request', `bad limit "${q.limit}"`, { hint: 'a whole number ≥ 1' });
    const { format } = causesQuery.pick({ format: true }).parse({ format: q.format });
    const answer = await causesReport(deps.service, c.get('principal'), {
      since: query.since,
      until: query.until,
      filters: query.filters,
      limit,
    });
    return tableAnswer(c, format, answer, { rows: answer.causes, columns: csvColumns, name: 'causes' });
  });
}
