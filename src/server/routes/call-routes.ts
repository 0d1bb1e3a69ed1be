// Individual calls: the filtered call list and one call in full (investigators only; every read audited).
import { createRoute } from '@hono/zod-openapi';
import type { CallSummary } from '../../analytics/call-views.ts';
import { parseTimeRange } from '../../analytics/parse-quality-query.ts';
import type { CallSearch } from '../../analytics/search-calls.ts';
import type { CsvColumn } from '../../format/csv.ts';
import { callList, callRecord, decodeCursor } from '../../service/calls.ts';
import { apiBase, callDetailSchema, callPageSchema, callsQuery, errorSchema, idParam } from '../api-types.ts';
import { type ApiApp, type Ctx, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';
import { listFiltersOf } from './dashboard-routes.ts';

const errors = {
  400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'No or unknown token', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'Viewer role', content: { 'application/json': { schema: errorSchema } } },
} as const;

export const callColumns: CsvColumn<CallSummary>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'startDateTime', value: (r) => r.startDateTime },
  { header: 'endDateTime', value: (r) => r.endDateTime },
  {
    header: 'durationSeconds',
    value: (r) => (r.durationMs === null ? null : Math.round(r.durationMs / 1000)),
  },
  { header: 'type', value: (r) => r.type },
  { header: 'modalities', value: (r) => r.modalities },
  { header: 'organizer', value: (r) => r.organizerName },
  { header: 'participants', value: (r) => r.participantCount },
  { header: 'streams', value: (r) => r.streamCount },
  { header: 'poorStreams', value: (r) => r.poorStreamCount },
  { header: 'view', value: (r) => r.view },
];

export const listCallsRoute = createRoute({
  method: 'get',
  path: `${apiBase}/calls`,
  tags: ['calls'],
  summary: 'Calls, newest first, filtered and paged (investigator)',
  request: { query: callsQuery },
  responses: {
    200: {
      description: 'One page of calls',
      content: { 'application/json': { schema: callPageSchema }, 'text/csv': { schema: { type: 'string' } } },
    },
    ...errors,
  },
});

export const getCallRoute = createRoute({
  method: 'get',
  path: `${apiBase}/calls/{id}`,
  tags: ['calls'],
  summary: 'One call record in full: participants, sessions, segments, media, streams (investigator)',
  request: { params: idParam },
  responses: {
    200: { description: 'The call', content: { 'application/json': { schema: callDetailSchema } } },
    404: { description: 'No such call', content: { 'application/json': { schema: errorSchema } } },
    ...errors,
  },
});

/** Parses the call-list query into a search (shared with the per-user call list). */
export function callSearchOf(c: Ctx, deps: RouteDeps): { search: CallSearch; format?: 'json' | 'csv' } {
  rejectUnknownParams(c, Object.keys(callsQuery.shape));
  const q = callsQuery.parse(c.req.query());
  const now = deps.service.clock.now();
  // The one period definition (period.ts): the same calls every other page and report counts.
  const { since, until } = parseTimeRange(q.since, q.until, now, undefined, q.tz);
  // `user` and `building` keep their call-list meaning; every other dimension filters the calls' streams.
  const filters = listFiltersOf(c, ['user', 'building']);
  return {
    format: q.format,
    search: {
      since,
      until,
      userId: q.user,
      poorOnly: q.poor === 'true',
      mediaType: q.mediaType,
      building: q.building,
      text: q.q,
      ...(filters ? { filters } : {}),
      ...(q.failureStage || q.failureReason !== undefined
        ? { failure: { stage: q.failureStage, reason: q.failureReason } }
        : {}),
      limit: q.limit,
      offset: q.offset,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
    },
  };
}

export function registerCallRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(listCallsRoute, async (c) => {
    const { search, format } = callSearchOf(c, deps);
    const page = await callList(deps.service, c.get('principal'), search);
    return tableAnswer(c, format, page, { rows: page.calls, columns: callColumns, name: 'calls' });
  });

  app.openapi(getCallRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { detail } = await callRecord(deps.service, c.get('principal'), id);
    return c.json(detail, 200);
  });
}
