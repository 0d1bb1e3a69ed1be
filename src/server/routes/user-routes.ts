// Users and their calls (investigators only: names, UPNs and object ids are EUII; every read audited).
import { createRoute } from '@hono/zod-openapi';
import type { UserSummary } from '../../analytics/list-users.ts';
import { parseTimeRange } from '../../analytics/parse-quality-query.ts';
import type { CsvColumn } from '../../format/csv.ts';
import { userCallList } from '../../service/calls.ts';
import { userList, userProfile } from '../../service/users.ts';
import {
  apiBase,
  callPageSchema,
  callsQuery,
  errorSchema,
  idParam,
  timeRangeQuery,
  userPageSchema,
  userProfileSchema,
  usersQuery,
} from '../api-types.ts';
import { type ApiApp, type RouteDeps, rejectUnknownParams, tableAnswer } from '../route-kit.ts';
import { callColumns, callSearchOf } from './call-routes.ts';
import { listFiltersOf } from './dashboard-routes.ts';

const errors = {
  400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'No or unknown token', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'Viewer role', content: { 'application/json': { schema: errorSchema } } },
} as const;

const userColumns: CsvColumn<UserSummary>[] = [
  { header: 'id', value: (u) => u.id },
  { header: 'displayName', value: (u) => u.displayName },
  { header: 'userPrincipalName', value: (u) => u.userPrincipalName },
  { header: 'tenantId', value: (u) => u.tenantId },
  { header: 'guest', value: (u) => u.guest },
  { header: 'calls', value: (u) => u.calls },
  { header: 'minutes', value: (u) => u.minutes },
  { header: 'streams', value: (u) => u.streams },
  { header: 'poorStreams', value: (u) => u.poorStreams },
  { header: 'poorPercent', value: (u) => u.poorPercent },
];

export const listUsersRoute = createRoute({
  method: 'get',
  path: `${apiBase}/users`,
  tags: ['users'],
  summary: 'Users with their calls, minutes and stream quality in a time window (investigator)',
  request: { query: usersQuery },
  responses: {
    200: {
      description: 'One page of users',
      content: { 'application/json': { schema: userPageSchema }, 'text/csv': { schema: { type: 'string' } } },
    },
    ...errors,
  },
});

export const getUserRoute = createRoute({
  method: 'get',
  path: `${apiBase}/users/{id}`,
  tags: ['users'],
  summary:
    "One user: name, UPN, tenant, guest or not, calls taken part in and their own streams' quality (investigator)",
  request: { params: idParam, query: timeRangeQuery },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: userProfileSchema } } },
    404: {
      description: 'No stored call names this user',
      content: { 'application/json': { schema: errorSchema } },
    },
    ...errors,
  },
});

export const userCallsRoute = createRoute({
  method: 'get',
  path: `${apiBase}/users/{id}/calls`,
  tags: ['users'],
  summary: "A user's calls, with the same filters as /calls (investigator)",
  request: { params: idParam, query: callsQuery.omit({ user: true }) },
  responses: {
    200: {
      description: 'One page of calls',
      content: { 'application/json': { schema: callPageSchema }, 'text/csv': { schema: { type: 'string' } } },
    },
    ...errors,
  },
});

export function registerUserRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(listUsersRoute, async (c) => {
    rejectUnknownParams(c, Object.keys(usersQuery.shape));
    const q = c.req.valid('query');
    const range = parseTimeRange(q.since, q.until, deps.service.clock.now(), undefined, q.tz);
    const filters = listFiltersOf(c);
    const list = await userList(deps.service, c.get('principal'), {
      ...range,
      ...(filters ? { filters } : {}),
      text: q.q,
      orderBy: q.orderBy,
      tenant: q.tenant,
      limit: q.limit,
      offset: q.offset,
    });
    const body = { ...list, limit: q.limit, offset: q.offset };
    return tableAnswer(c, q.format, body, { rows: list.users, columns: userColumns, name: 'users' });
  });

  app.openapi(getUserRoute, async (c) => {
    rejectUnknownParams(c, Object.keys(timeRangeQuery.shape));
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const range = parseTimeRange(q.since, q.until, deps.service.clock.now(), undefined, q.tz);
    return c.json(await userProfile(deps.service, c.get('principal'), id, range), 200);
  });

  app.openapi(userCallsRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { search, format } = callSearchOf(c, deps);
    const page = await userCallList(deps.service, c.get('principal'), id, search);
    return tableAnswer(c, format, page, { rows: page.calls, columns: callColumns, name: 'user-calls' });
  });
}
