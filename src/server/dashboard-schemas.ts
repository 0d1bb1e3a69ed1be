// Zod descriptions (for OpenAPI) of the dashboard answers; the TypeScript types are the analytics modules' own,
// and compile-time checks below keep the two from drifting apart.
import { z } from '@hono/zod-openapi';
import type { FeedbackSummary } from '../analytics/get-feedback-summary.ts';
import type { PstnSummary } from '../analytics/get-pstn-summary.ts';
import type { TargetResult } from '../analytics/get-quality-targets.ts';
import type { DirectRoutingCallRow, PstnCallList, PstnCallRow } from '../analytics/list-pstn-calls.ts';
import { granularities } from '../analytics/period.ts';
import type { Building } from '../quality/buildings.ts';
import { formatParam, qualityQuery, qualityRowSchema } from './api-types.ts';

/** Period and dimension filters every dashboard query takes (the quality query's, minus grouping). */
const qualityWindow = qualityQuery.omit({
  by: true,
  measures: true,
  orderBy: true,
  limit: true,
  minClassifiedStreams: true,
});

/** Period and filters, plus the IANA time zone and the granularity charts bucket by (period.ts). */
export const windowQuery = qualityWindow.extend({
  granularity: z.enum(granularities).optional().openapi({ description: 'Chart buckets (default day)' }),
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

export const dimensionValuesSchema = z
  .object({
    values: z.record(z.string(), z.array(z.object({ value: z.string().nullable(), streams: z.number() }))),
  })
  .openapi('DimensionValues');

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
const endingKind = z.enum(['answered', 'busy', 'noAnswer', 'cancelled', 'declined', 'failure']);
const sbcHealth = z.object({
  calls: z.number().openapi({ description: 'Call attempts (seizures)' }),
  answered: z.number(),
  effective: z.number().openapi({
    description:
      'Answered, or ended busy (486, 600), unanswered (480), cancelled by the caller (487) or declined (603)',
  }),
  failed: z.number().openapi({ description: 'Attempts neither answered nor effective' }),
  nerPercent: z
    .number()
    .nullable()
    .openapi({ description: 'Network effectiveness ratio: effective / attempts' }),
  asrPercent: z.number().nullable().openapi({ description: 'Answer-seizure ratio: answered / attempts' }),
  averageDurationSeconds: z.number().nullable().openapi({ description: 'Of the answered calls' }),
  minutes: z.number(),
  mediaBypassPercent: z.number().nullable(),
});
export const directRoutingSchema = z
  .object({
    totals: sbcHealth,
    bySbc: z.array(sbcHealth.extend({ trunk: z.string() })),
    bySbcDay: z.array(sbcHealth.extend({ trunk: z.string(), day: z.string() })),
    endings: z.array(
      z.object({
        trunk: z.string(),
        sipCode: z.number().nullable(),
        phrase: z.string().nullable(),
        subReason: z.number().nullable(),
        kind: endingKind,
        effective: z.boolean(),
        calls: z.number(),
      }),
    ),
    locations: z.array(
      z.object({
        trunk: z.string(),
        mediaPathLocation: z.string().nullable(),
        signalingLocation: z.string().nullable(),
        calls: z.number(),
      }),
    ),
  })
  .openapi('DirectRoutingHealth');
export const pstnSchema = z
  .object({
    pstn: z.object({
      calls: z.number(),
      minutes: z.number(),
      charges: z.array(z.object({ currency: z.string(), amount: z.number() })),
      byCallType: z.array(z.object({ callType: z.string(), calls: z.number(), minutes: z.number() })),
      byDay: z.array(dayCount.extend({ minutes: z.number() })),
    }),
    directRouting: directRoutingSchema,
  })
  .openapi('PstnSummary');

const nullText = z.string().nullable();
const nullNumber = z.number().nullable();
/** The fields both call logs have, first in each of their rows. */
const callFields = {
  id: z.string(),
  startDateTime: nullText,
  endDateTime: nullText,
  userId: nullText,
  userPrincipalName: nullText,
  userDisplayName: nullText,
  callType: nullText,
};
export const pstnCallsSchema = z
  .object({
    calls: z.array(
      z.object({
        ...callFields,
        numberType: nullText.openapi({ description: "The number's inventory type (Subscriber, Service...)" }),
        licenseCapability: nullText,
        callerNumber: nullText,
        calleeNumber: nullText,
        destinationName: nullText,
        usageCountryCode: nullText,
        durationSeconds: nullNumber,
        charge: nullNumber.openapi({ description: 'Where Graph reports one (Calling Plans)' }),
        connectionCharge: nullNumber,
        currency: nullText,
        operator: nullText,
        callDurationSource: nullText,
      }),
    ),
    total: z.number(),
  })
  .openapi('PstnCalls');
export const directRoutingCallsSchema = z
  .object({
    calls: z.array(
      z.object({
        ...callFields,
        trunk: nullText,
        callerNumber: nullText,
        calleeNumber: nullText,
        durationSeconds: nullNumber,
        successfulCall: z.boolean().nullable(),
        finalSipCode: nullNumber,
        finalSipCodePhrase: nullText,
        callEndSubReason: nullNumber,
        outcome: endingKind,
        mediaPathLocation: nullText,
        signalingLocation: nullText,
        mediaBypassEnabled: z.boolean().nullable(),
      }),
    ),
    total: z.number(),
  })
  .openapi('DirectRoutingCalls');

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
  Same<z.infer<typeof pstnCallsSchema>, PstnCallList<PstnCallRow>>,
  Same<z.infer<typeof directRoutingCallsSchema>, PstnCallList<DirectRoutingCallRow>>,
  Same<z.infer<typeof targetSchema>, TargetResult>,
  Same<z.infer<typeof buildingSchema>, Building>,
] = [true, true, true, true, true, true];
void inSync;
