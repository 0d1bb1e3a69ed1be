// The alerts API's shapes (GET /api/v1/alerts, an alert's history, acknowledge, mute), checked against the service's
// types so the dashboard's `import type` and the OpenAPI document never drift apart.
import { z } from '@hono/zod-openapi';
import type { AlertDetail, AlertsOverview } from '../service/alerts.ts';
import type { AlertMute, StoredAlert } from '../store/alerts.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const num = z.number().nullable();

export const alertSchema = z
  .object({
    id: z.number().int(),
    ruleId: z.string(),
    scopeKey: z.string(),
    scopeLabel: z.string(),
    severity: z.enum(['critical', 'warning', 'info']),
    state: z.enum(['firing', 'resolved']),
    startedAt: z.number(),
    resolvedAt: num,
    value: num,
    threshold: num,
    peakValue: num,
    unit: z.string(),
    title: z.string(),
    explanation: z.string(),
    url: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    notifiedAt: num,
    notifiedValue: num,
    ackedAt: num,
    ackedBy: z.string().nullable(),
    updatedAt: z.number(),
  })
  .openapi('Alert');

export const muteSchema = z
  .object({
    id: z.number().int(),
    ruleId: z.string(),
    scopeKey: z.string().openapi({ description: 'a scope key, or * for every scope of the rule' }),
    untilAt: z.number(),
    createdAt: z.number(),
    actor: z.string().nullable(),
  })
  .openapi('AlertMute');

const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  enabled: z.boolean(),
  severity: z.string(),
  scope: z.array(z.string()),
  threshold: z.number(),
  unit: z.string(),
  windowMinutes: z.number(),
  minVolume: z.number(),
  repeatEveryMinutes: z.number(),
  worsenFactor: z.number(),
  channels: z.array(z.string()).nullable(),
  why: z.string(),
});

export const alertsOverviewSchema = z
  .object({
    active: z.array(alertSchema),
    history: z.array(alertSchema),
    mutes: z.array(muteSchema),
    rules: z.array(ruleSchema),
    channels: z.array(z.object({ name: z.string(), type: z.string(), target: z.string() })),
    outbox: z.object({
      pending: z.number(),
      failed: z.number(),
      delivered: z.number(),
      oldestPendingAt: num,
    }),
    evaluateEveryMinutes: z.number(),
    lastEvaluatedAt: num,
    canHandle: z.boolean(),
  })
  .openapi('AlertsOverview');

export const alertDetailSchema = z
  .object({
    alert: alertSchema,
    events: z.array(
      z.object({
        id: z.number(),
        alertId: z.number(),
        at: z.number(),
        kind: z.string(),
        value: num,
        actor: z.string().nullable(),
        note: z.string().nullable(),
      }),
    ),
    deliveries: z.array(
      z.object({
        id: z.number(),
        deliveryKey: z.string(),
        alertId: z.number(),
        eventId: z.number(),
        channel: z.string(),
        state: z.enum(['pending', 'delivered', 'failed']),
        attempts: z.number(),
        nextAttemptAt: z.number(),
        lastError: z.string().nullable(),
        createdAt: z.number(),
        firstAttemptAt: num,
        deliveredAt: num,
      }),
    ),
  })
  .openapi('AlertDetail');

export const muteBodySchema = z
  .object({
    target: z.string().min(1).openapi({
      description: 'an alert id, a rule id, or rule:scope key',
      example: 'audio-poor-rate:building:Beta',
    }),
    for: z.string().openapi({ description: 'how long: 30m, 4h, 7d', example: '4h' }),
  })
  .openapi('AlertMuteRequest');

export const unmutedSchema = z.object({ ended: z.number() });

const inSync: [
  Same<z.infer<typeof alertSchema>, StoredAlert>,
  Same<z.infer<typeof muteSchema>, AlertMute>,
  Same<z.infer<typeof alertsOverviewSchema>['outbox'], AlertsOverview['outbox']>,
  Same<z.infer<typeof alertDetailSchema>['deliveries'], AlertDetail['deliveries']>,
] = [true, true, true, true];
void inSync;

/** The answers as the dashboard reads them (imported through api-types.ts). */
export type AlertBody = z.infer<typeof alertSchema>;
export type AlertMuteBody = z.infer<typeof muteSchema>;
export type AlertsOverviewBody = z.infer<typeof alertsOverviewSchema>;
export type AlertRuleBody = AlertsOverviewBody['rules'][number];
export type AlertDetailBody = z.infer<typeof alertDetailSchema>;
