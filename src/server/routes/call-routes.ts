// Individual calls: the filtered call list and one call in full (investigators only; every read audited).
import { createRoute } from '@hono/zod-openapi';
import type { CallSummary } from '../../analytics/call-views.ts';
import { getCall } from '../../analytics/get-call.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { type CallSearch, searchCalls } from '../../analytics/search-calls.ts';
import { CalltroveError } from '../../errors.ts';
import type { CsvColumn } from '../../format/csv.ts';
import {
  apiBase,
  type CallPage,
  callDetailSchema,
  callPageSchema,
  callsQuery,
  errorSchema,
  idParam,
} from '../api-types.ts';
import { requireIndividuals } from '../auth.ts';
import {
  type ApiApp,
  auditRead,
  type Ctx,
  type RouteDeps,
  rejectUnknownParams,
  tableAnswer,
} from '../context.ts';

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

/** A page cursor is the last row's (start time, id), opaque to clients. */
function encodeCursor(call: CallSummary): string | null {
  if (!call.startDateTime) return null;
  return Buffer.from(JSON.stringify([Date.parse(call.startDateTime), call.id])).toString('base64url');
}

function decodeCursor(cursor: string): { startTime: number; id: string } {
  try {
    const [startTime, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startTime === 'number' && typeof id === 'string') return { startTime, id };
  } catch {
    // falls through to the error below
  }
  throw new CalltroveError('bad_request', 'bad cursor', {
    hint: 'pass nextCursor from the previous page unchanged',
  });
}

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
export function callSearchOf(
  c: Ctx,
  deps: RouteDeps,
  userId?: string,
): { search: CallSearch; format?: 'json' | 'csv' } {
  rejectUnknownParams(c, Object.keys(callsQuery.shape));
  const q = callsQuery.parse(c.req.query());
  const now = deps.clock.now();
  const since = q.since ? parseTime(q.since, now, 'since') : undefined;
  const until = q.until ? parseTime(q.until, now, 'until') : undefined;
  if (since !== undefined && until !== undefined && since >= until)
    throw new CalltroveError('bad_request', 'since must be before until', {
      hint: 'e.g. since=2024-05-01&until=2024-05-08',
    });
  return {
    format: q.format,
    search: {
      since,
      until,
      userId: userId ?? q.user,
      poorOnly: q.poor === 'true',
      mediaType: q.mediaType,
      text: q.q,
      limit: q.limit,
      offset: q.offset,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
    },
  };
}

/** The page as the API returns it, with the cursor of the next page when this one is full. */
export async function callPage(deps: RouteDeps, search: CallSearch): Promise<CallPage> {
  const list = await searchCalls(deps.store.db, search);
  const last = list.calls.at(-1);
  const full = search.limit !== undefined && list.calls.length === search.limit;
  return {
    ...list,
    limit: search.limit ?? list.calls.length,
    offset: search.after ? null : (search.offset ?? 0),
    nextCursor: full && last ? encodeCursor(last) : null,
  };
}

export function registerCallRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(listCallsRoute, async (c) => {
    const { search, format } = callSearchOf(c, deps);
    requireIndividuals(c.get('principal'), 'individual calls');
    const page = await callPage(deps, search);
    await auditRead(c, deps, 'calls.list', new URL(c.req.url).search, page.calls.length);
    return tableAnswer(c, format, page, { rows: page.calls, columns: callColumns, name: 'calls' });
  });

  app.openapi(getCallRoute, async (c) => {
    const { id } = c.req.valid('param');
    requireIndividuals(c.get('principal'), 'individual calls');
    const call = await getCall(deps.store.db, id);
    if (!call)
      throw new CalltroveError('not_found', 'no call with this id', { hint: 'list calls at /api/v1/calls' });
    await auditRead(c, deps, 'call.read', id);
    return c.json(call, 200);
  });
}
