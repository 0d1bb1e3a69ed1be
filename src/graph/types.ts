// The call-record vocabulary as TypeScript types, inferred once from the runtime schemas.
import type { z } from 'zod';
import type {
  callRecordSchema,
  deviceInfoSchema,
  directRoutingLogRowSchema,
  endpointSchema,
  failureInfoSchema,
  feedbackSchema,
  identitySchema,
  mediaSchema,
  mediaStreamSchema,
  networkInfoSchema,
  participantSchema,
  pstnCallLogRowSchema,
  segmentSchema,
  sessionSchema,
  traceRouteHopSchema,
  userAgentSchema,
} from './call-record-schema.ts';

export type CallRecord = z.output<typeof callRecordSchema>;
export type Session = z.output<typeof sessionSchema>;
export type Segment = z.output<typeof segmentSchema>;
export type Endpoint = z.output<typeof endpointSchema>;
export type UserAgent = z.output<typeof userAgentSchema>;
export type Identity = z.output<typeof identitySchema>;
export type IdentitySet = Record<string, unknown>;
export type UserFeedback = z.output<typeof feedbackSchema>;
export type FailureInfo = z.output<typeof failureInfoSchema>;
export type Media = z.output<typeof mediaSchema>;
export type MediaStream = z.output<typeof mediaStreamSchema>;
export type NetworkInfo = z.output<typeof networkInfoSchema>;
export type DeviceInfo = z.output<typeof deviceInfoSchema>;
export type TraceRouteHop = z.output<typeof traceRouteHopSchema>;
export type Participant = z.output<typeof participantSchema>;
export type PstnCallLogRow = z.output<typeof pstnCallLogRowSchema>;
export type DirectRoutingLogRow = z.output<typeof directRoutingLogRowSchema>;

/** The JSON Graph sends before parsing: what the twin serves and what import reads. */
export type CallRecordJson = z.input<typeof callRecordSchema>;
export type SessionJson = z.input<typeof sessionSchema>;
