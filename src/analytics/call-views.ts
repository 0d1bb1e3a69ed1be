// Response shapes of the call list and call detail, shared by the CLI (`calls`, `call`) and the REST server.

/** Which tenant's view a record is: the organizer's tenant sees every participant, a participant tenant its own. */
export type RecordView = 'organizer' | 'participant' | 'unknown';

export interface ListCallsQuery {
  /** Calls that started at or after this epoch ms. */
  since?: number;
  /** Calls that started before this epoch ms. */
  until?: number;
  /** At most this many (default 100, newest first). */
  limit?: number;
  /** Skip this many (paging). */
  offset?: number;
}

/** One row of the call list. */
export interface CallSummary {
  id: string;
  version: number;
  type: string | null;
  modalities: string[];
  startDateTime: string | null;
  endDateTime: string | null;
  durationMs: number | null;
  organizerName: string | null;
  organizerId: string | null;
  organizerTenantId: string | null;
  view: RecordView;
  viewTenantId: string | null;
  participantCount: number;
  sessionCount: number;
  streamCount: number;
  poorStreamCount: number;
  /** In a user's call list: the streams whose client end is that user, and how many of them were poor; else null. */
  ownStreamCount: number | null;
  ownPoorStreamCount: number | null;
}

export interface CallList {
  calls: CallSummary[];
  /** Calls matching the time filter in all (for paging). */
  total: number;
}

/** A JSON value of the detail view (Graph's shape: property names as Graph spells them). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A call record nested as Graph nests it (sessions → segments → media → streams) with Graph's property names;
 * every ISO-8601 duration also in milliseconds under the same name + `Ms` (`averageJitter` + `averageJitterMs`);
 * each stream also carries `mediaType`, `quality`, `poorReasons`. Built from the normalized rows. Answers of the
 * service also carry calltrove's annotations (annotate-call.ts): `participantQuality` (ParticipantQuality[]) at
 * the top, and building, inside-corp, access point, `flags` and why a stream is unclassified inside `sessions`.
 */
export interface CallDetail extends JsonObject {
  id: string;
  version: number;
  type: string | null;
  modalities: string[];
  startDateTime: string | null;
  endDateTime: string | null;
  lastModifiedDateTime: string | null;
  joinWebUrl: string | null;
  view: RecordView;
  viewTenantId: string | null;
  organizer_v2: JsonObject | null;
  participants_v2: JsonObject[];
  sessions: JsonObject[];
}
