// Zod descriptions (for OpenAPI) of the dashboard answers; the TypeScript types are the analytics modules' own,
// and compile-time checks below keep the two from drifting apart.
import { z } from '@hono/zod-openapi';
import type { FeedbackSummary } from '../analytics/get-feedback-summary.ts';
import type { PstnSummary } from '../analytics/get-pstn-summary.ts';
import type { TargetResult } from '../analytics/get-quality-targets.ts';
import type { Building } from '../quality/buildings.ts';
import { formatParam, qualityQuery, qualityRowSchema } from './api-types.ts';

/** Period and dimension filters every dashboard query takes (the quality query's, minus grouping). */
export const windowQuery = qualityQuery.omit({
  by: true,
  measures: true,
  orderBy: true,
  limit: true,
  minClassifiedStreams: true,
});

export const worstQuery = windowQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(10),
  minClassifiedStreams: z.coerce.number().int().min(0).optional().openapi({ description: 'Default 20' }),
});

export const missingSubnetsQuery = windowQuery.extend({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  minStreams: z.coerce
    .number()
    .int()
    .min(0)
    .default(10)
    .openapi({ description: "CQD's threshold: 10 audio streams" }),
});

/** Composite answers name which of their tables `format=csv` downloads. */
export const tableParam = <const T extends readonly [string, ...string[]]>(names: T) =>
  z
    .enum(names)
    .optional()
    .openapi({ description: `With format=csv: which table (default ${names[0]})` });

export const rowsAnswerSchema = z
  .object({ rows: z.array(qualityRowSchema), suppressed: z.boolean() })
  .openapi('Rows', { description: 'Quality rows (see /quality) of a ready-made dashboard question' });

export const overviewSchema = z
  .object({
    totals: z.object({
      calls: z.number(),
      minutes: z.number(),
      streams: z.number(),
      classifiedStreams: z.number(),
      poorStreams: z.number(),
      poorPercent: z.number().nullable(),
      audioPoorPercent: z.number().nullable(),
    }),
    byDay: z.array(qualityRowSchema),
    byNetworkType: z.array(qualityRowSchema),
    suppressed: z.boolean(),
  })
  .openapi('Overview');

const failureClass = z.enum([
  'network',
  'client',
  'service',
  'other',
  'declined',
  'cancelled',
  'busy',
  'noAnswer',
  'policy',
]);
export const reliabilitySchema = z
  .object({
    totals: qualityRowSchema,
    targets: z.object({ setupFailurePercent: z.literal(1), dropFailurePercent: z.literal(3) }),
    byDay: z.array(qualityRowSchema),
    byNetworkType: z.array(qualityRowSchema),
    byBuilding: z.array(qualityRowSchema),
    byClientVersion: z.array(qualityRowSchema),
    reasons: z.array(
      z.object({
        stage: z.enum(['callSetup', 'midcall']),
        reason: z.string().nullable(),
        reasonClass: failureClass,
        count: z.number().openapi({ description: 'Failed streams' }),
        percent: z.number().openapi({ description: "Share of the stage's failed streams" }),
      }),
    ),
    outcomes: z.array(
      z.object({
        stage: z.string(),
        reason: z.string().nullable(),
        reasonClass: failureClass,
        sessions: z.number(),
      }),
    ),
    attribution: z.object({
      failedStreams: z.number(),
      fromRecord: z.number(),
      inferred: z.number(),
      unknown: z.number(),
      unknownPercent: z.number().nullable(),
      inferenceWindowHours: z.number(),
    }),
    suppressed: z.boolean(),
  })
  .openapi('Reliability');

export const feedbackSchema = z
  .object({
    responses: z.number(),
    averageRating: z.number().nullable(),
    ratings: z.array(
      z.object({
        rating: z.string(),
        count: z.number(),
        audioClassifiedStreams: z.number(),
        audioPoorStreams: z.number(),
        audioPoorPercent: z.number().nullable(),
      }),
    ),
    tokens: z.array(z.object({ token: z.string(), count: z.number() })),
    averageRatingWithPoorAudio: z.number().nullable(),
    averageRatingWithGoodAudio: z.number().nullable(),
  })
  .openapi('FeedbackSummary');

const dayCount = z.object({ day: z.string(), calls: z.number() });
export const pstnSchema = z
  .object({
    pstn: z.object({
      calls: z.number(),
      minutes: z.number(),
      charges: z.array(z.object({ currency: z.string(), amount: z.number() })),
      byCallType: z.array(z.object({ callType: z.string(), calls: z.number(), minutes: z.number() })),
      byDay: z.array(dayCount.extend({ minutes: z.number() })),
    }),
    directRouting: z.object({
      calls: z.number(),
      successful: z.number(),
      failed: z.number(),
      failurePercent: z.number().nullable(),
      minutes: z.number(),
      byTrunk: z.array(
        z.object({
          trunk: z.string(),
          calls: z.number(),
          failed: z.number(),
          failurePercent: z.number().nullable(),
        }),
      ),
      failures: z.array(
        z.object({ sipCode: z.number().nullable(), phrase: z.string().nullable(), count: z.number() }),
      ),
      byDay: z.array(dayCount.extend({ failed: z.number() })),
    }),
  })
  .openapi('PstnSummary');

const rates = z.object({
  poorPercent: z.number().nullable(),
  setupFailurePercent: z.number().nullable(),
  dropFailurePercent: z.number().nullable(),
});
export const targetSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    streams: z.number(),
    classifiedStreams: z.number(),
    measured: rates,
    target: z.object({
      poorPercent: z.number(),
      setupFailurePercent: z.number(),
      dropFailurePercent: z.number(),
    }),
    meets: z.object({
      poorPercent: z.boolean().nullable(),
      setupFailurePercent: z.boolean().nullable(),
      dropFailurePercent: z.boolean().nullable(),
    }),
  })
  .openapi('QualityTarget');
export const targetsSchema = z.object({ targets: z.array(targetSchema) }).openapi('QualityTargets');

export const buildingSchema = z
  .object({
    networkIp: z.string(),
    networkName: z.string(),
    networkRange: z.number(),
    buildingName: z.string(),
    ownershipType: z.string(),
    buildingType: z.string(),
    buildingOfficeType: z.string(),
    city: z.string(),
    zipCode: z.string(),
    country: z.string(),
    state: z.string(),
    region: z.string(),
    insideCorp: z.boolean(),
    expressRoute: z.boolean(),
    vpn: z.boolean(),
  })
  .openapi('Building');
export const buildingsSchema = z.object({ buildings: z.array(buildingSchema) }).openapi('Buildings');
export const buildingsQuery = z.object({ format: formatParam });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inSync: [
  Same<z.infer<typeof feedbackSchema>, FeedbackSummary>,
  Same<z.infer<typeof pstnSchema>, PstnSummary>,
  Same<z.infer<typeof targetSchema>, TargetResult>,
  Same<z.infer<typeof buildingSchema>, Building>,
] = [true, true, true, true];
void inSync;
