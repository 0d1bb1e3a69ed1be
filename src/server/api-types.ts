// The REST API's request and response shapes as zod schemas: they check input, describe the API (OpenAPI),
// and give the TypeScript types the dashboard imports (`import type`), so server and page share one definition.
import { z } from '@hono/zod-openapi';
import type { CallSummary } from '../analytics/call-views.ts';
import type { UserProfile } from '../analytics/get-user.ts';
import type { UserSummary } from '../analytics/list-users.ts';
import { dimensions, type QualityRow } from '../analytics/quality-query.ts';
import type { ErrorBody as BoundaryErrorBody } from '../http/error-boundary.ts';
import type { Health as HealthBody } from '../http/health.ts';
import type { CallPage } from '../service/calls.ts';

export const apiBase = '/api/v1';

// The types declared beside the code are the source of truth; Same<> checks stop the schemas drifting from them.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad_request' }),
      message: z.string().openapi({ example: 'unknown dimension "buildng"' }),
      hint: z.string().optional().openapi({ example: 'valid dimensions: day, hour, building, ...' }),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof errorSchema>;
const errorInSync: Same<ErrorBody, BoundaryErrorBody> = true;
void errorInSync;

export const formatParam = z
  .enum(['json', 'csv'])
  .optional()
  .openapi({ description: 'csv downloads the table as a CSV file (Excel, Power BI)' });

const timeText = z.string().optional();
export const timeRangeQuery = z.object({
  since: timeText.openapi({
    description: 'From (inclusive): 7d, 12h, 2024-05-01 or an ISO timestamp',
    example: '7d',
  }),
  until: timeText.openapi({ description: 'Until (exclusive), same forms as since', example: '2024-05-08' }),
  tz: z.string().max(64).optional().openapi({
    description:
      'IANA time zone dates are read in (default UTC); a period is whole hours (see docs/analytics.md)',
    example: 'Europe/Paris',
  }),
});

/** `<dimension>=values` filters, as /quality takes them (the users and calls lists take them too). */
export const dimensionFilters = Object.fromEntries(
  dimensions.map((d) => [
    d,
    z
      .string()
      .optional()
      .openapi({ description: `Keep only ${d} values in this comma-separated list ('' is unknown)` }),
  ]),
) as Record<(typeof dimensions)[number], z.ZodOptional<z.ZodString>>;

export const roleSchema = z.enum(['viewer', 'investigator']);

export const meSchema = z
  .object({
    role: roleSchema,
    via: z.enum(['token', 'local', 'cli']),
    tokensRequired: z.boolean(),
    /** What the dashboard may show this caller. */
    can: z.object({ individuals: z.boolean(), smallGroups: z.boolean() }),
    privacy: z.object({
      minGroupSize: z.number().int(),
      mode: z.enum(['keep', 'pseudonymize']),
      dataLocation: z.string().nullable(),
    }),
  })
  .openapi('Me');
export type Me = z.infer<typeof meSchema>;

export const healthSchema = z
  .looseObject({
    status: z.enum(['ok', 'warning', 'failing']).openapi({
      description: "ok, or (on a collector's listener) the collector's health; failing answers 503",
    }),
    version: z.string(),
    database: z.enum(['sqlite', 'postgres']),
  })
  .openapi('Health', {
    description:
      "On a collector's listener the collector's status (subscription, queue, problems) joins these",
  });
export type Health = z.infer<typeof healthSchema>;
const healthInSync: Same<Pick<Health, keyof HealthBody>, HealthBody> = true;
void healthInSync;

// ---- calls ----

export const mediaTypeSchema = z.enum(['audio', 'video', 'vbss', 'other']);

export const callsQuery = timeRangeQuery.extend({
  // The quality filters first: `user` and `building` keep their call-list meaning below.
  ...dimensionFilters,
  user: z.string().optional().openapi({ description: 'Only calls this user (object id) took part in' }),
  poor: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only calls with at least one poor stream' }),
  mediaType: mediaTypeSchema.optional().openapi({ description: 'Only calls with media of this type' }),
  building: z.string().max(200).optional().openapi({
    description:
      'Only calls with a stream whose client end was in this building (empty: in no known building)',
  }),
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Search call id, organizer and participant names and UPNs' }),
  failureStage: z.enum(['callSetup', 'midcall']).optional().openapi({
    description: 'Only calls with a session or segment that failed at this stage (a reliability reason)',
  }),
  failureReason: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'With the failure stage: this reason' }),
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
  offset: z.coerce.number().int().min(0).optional(),
  cursor: z
    .string()
    .optional()
    .openapi({ description: 'nextCursor of the previous page (faster than offset deep in a long list)' }),
  format: formatParam,
});
export type CallsQuery = z.input<typeof callsQuery>;

export const callSummarySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    type: z.string().nullable(),
    modalities: z.array(z.string()),
    startDateTime: z.string().nullable(),
    endDateTime: z.string().nullable(),
    durationMs: z.number().nullable(),
    organizerName: z.string().nullable(),
    organizerId: z.string().nullable(),
    organizerTenantId: z.string().nullable(),
    view: z.enum(['organizer', 'participant', 'unknown']),
    viewTenantId: z.string().nullable(),
    participantCount: z.number().int(),
    sessionCount: z.number().int(),
    streamCount: z.number().int(),
    poorStreamCount: z.number().int(),
    ownStreamCount: z.number().int().nullable().openapi({
      description: "In a user's call list: the streams whose client end is that user; null elsewhere",
    }),
    ownPoorStreamCount: z.number().int().nullable().openapi({
      description: "In a user's call list: how many of the user's own streams were poor; null elsewhere",
    }),
  })
  .openapi('CallSummary');

export const callPageSchema = z
  .object({
    calls: z.array(callSummarySchema),
    total: z.number().int().openapi({ description: 'Matching calls; with totalCapped, at least this many' }),
    totalCapped: z.boolean().openapi({
      description: 'True when filters other than the period match more calls than were counted (1,000)',
    }),
    limit: z.number().int(),
    offset: z.number().int().nullable(),
    nextCursor: z.string().nullable(),
  })
  .openapi('CallPage');
export type { CallPage };

const summaryInSync: Same<z.infer<typeof callSummarySchema>, CallSummary> = true;
const pageInSync: Same<z.infer<typeof callPageSchema>, CallPage> = true;
void summaryInSync;
void pageInSync;

const jsonObject = z.record(z.string(), z.unknown());
export const callDetailSchema = z
  .looseObject({
    id: z.string(),
    version: z.number().int(),
    type: z.string().nullable(),
    view: z.enum(['organizer', 'participant', 'unknown']),
    viewTenantId: z.string().nullable(),
    organizer_v2: jsonObject.nullable(),
    participants_v2: z.array(jsonObject),
    sessions: z.array(jsonObject).openapi({
      description:
        'Graph nesting: sessions → segments → media → streams; each stream also has mediaType, quality (good|poor|unclassified), poorReasons, unclassifiedReason/unclassifiedBecause and flags; each network object building, city, country, region, insideCorp, vpn (and accessPoint by BSSID when an access-point file is imported); devices and networks flags {property: {level: poor|watch, rule}}; participantQuality at the top says who had the problem (docs/analytics.md)',
    }),
  })
  .openapi('CallDetail');

export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

// ---- quality ----

export const qualityQuery = timeRangeQuery.extend({
  by: z
    .string()
    .optional()
    .openapi({ description: 'Comma-separated dimensions', example: 'building,network-type' }),
  measures: z.string().optional().openapi({ example: 'streams,poorStreams,poorPercent,calls' }),
  orderBy: z.string().optional().openapi({ example: '-poorPercent' }),
  limit: z.string().optional(),
  minClassifiedStreams: z.string().optional(),
  format: formatParam,
  ...dimensionFilters,
});

export const qualityRowSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.null()]))
  .openapi('QualityRow', { description: 'One camelCase key per grouped dimension, one per measure' });

export const qualityAnswerSchema = z
  .object({
    by: z.array(z.string()),
    measures: z.array(z.string()),
    rows: z.array(qualityRowSchema),
    /** True when groups below privacy.minGroupSize were folded into "other" for this caller. */
    suppressed: z.boolean(),
  })
  .openapi('QualityAnswer');
export type QualityAnswer = Omit<z.infer<typeof qualityAnswerSchema>, 'rows'> & { rows: QualityRow[] };

// ---- users ----

export const usersQuery = timeRangeQuery.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Search name or UPN (substring) or an exact object id' }),
  orderBy: z.enum(['calls', 'poorPercent', 'poorStreams', 'minutes']).optional(),
  tenant: z.string().max(200).optional().openapi({
    description:
      "home (this tenant's users), guests (other tenants and anonymous guests), anonymous, or a tenant id",
  }),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  format: formatParam,
  ...dimensionFilters,
});

export const userSummarySchema = z
  .object({
    id: z.string(),
    displayName: z.string().nullable(),
    userPrincipalName: z.string().nullable(),
    tenantId: z.string().nullable(),
    guest: z.boolean(),
    calls: z.number().openapi({ description: 'Calls with streams whose client end is this user' }),
    minutes: z.number(),
    streams: z.number().openapi({ description: "The user's own streams (their client end)" }),
    poorStreams: z.number(),
    poorPercent: z.number().nullable(),
  })
  .openapi('UserSummary');

export const userTenantSchema = z
  .object({ tenantId: z.string().nullable(), home: z.boolean(), users: z.number().int() })
  .openapi('UserTenant');

export const userProfileSchema = z
  .object({
    id: z.string(),
    displayName: z.string().nullable(),
    userPrincipalName: z.string().nullable(),
    tenantId: z.string().nullable(),
    guest: z.boolean(),
    callsTakenPart: z
      .number()
      .int()
      .openapi({ description: 'Calls the user took part in, in whole UTC days' }),
    calls: z
      .number()
      .int()
      .openapi({ description: 'Of those, calls with streams whose client end is this user' }),
    minutes: z.number(),
    streams: z.number().int(),
    classifiedStreams: z.number().int(),
    poorStreams: z.number().int(),
    poorPercent: z.number().nullable(),
  })
  .openapi('UserProfile');

export const userPageSchema = z
  .object({
    users: z.array(userSummarySchema),
    total: z.number().int(),
    tenants: z.array(userTenantSchema),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('UserPage');
export type UserPage = z.infer<typeof userPageSchema>;
const userInSync: Same<z.infer<typeof userSummarySchema>, UserSummary> = true;
void userInSync;
const profileInSync: Same<z.infer<typeof userProfileSchema>, UserProfile> = true;
void profileInSync;
export type UserProfileAnswer = z.infer<typeof userProfileSchema>;

// ---- alerts (schemas in alert-schemas.ts) ----

export type {
  AlertBody,
  AlertDetailBody,
  AlertMuteBody,
  AlertRuleBody,
  AlertsOverviewBody,
} from './alert-schemas.ts';
