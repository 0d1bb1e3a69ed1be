// Individual calls: the filtered list (also a user's calls) and one call in full; investigators only, every read
// audited.
import { annotateCall, type CallPlaces } from '../analytics/annotate-call.ts';
import type { CallDetail, CallList, CallSummary, JsonObject } from '../analytics/call-views.ts';
import { callDetailFromRaw, callDetailOf } from '../analytics/get-call.ts';
import { type CallSearch, searchCalls } from '../analytics/search-calls.ts';
import { CalltroveError } from '../errors.ts';
import type { CallRows } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { askedOf, audited } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

export interface CallPage extends CallList {
  totalCapped: boolean;
  limit: number;
  /** null when paged by cursor. */
  offset: number | null;
  /** Where the next page starts, when this one is full. */
  nextCursor: string | null;
}

/** A page cursor is the last row's (start time, id), opaque to clients. */
function encodeCursor(call: CallSummary): string | null {
  if (!call.startDateTime) return null;
  return Buffer.from(JSON.stringify([Date.parse(call.startDateTime), call.id])).toString('base64url');
}

/** The position a cursor names; bad_request for anything but a cursor this service handed out. */
export function decodeCursor(cursor: string): { startTime: number; id: string } {
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

async function page(s: Service, search: CallSearch): Promise<CallPage> {
  const list = await searchCalls(s.store.reads, search);
  const last = list.calls.at(-1);
  const full = search.limit !== undefined && list.calls.length === search.limit;
  return {
    ...list,
    limit: search.limit ?? list.calls.length,
    offset: search.after ? null : (search.offset ?? 0),
    nextCursor: full && last ? encodeCursor(last) : null,
  };
}

const askedSearch = (q: CallSearch) =>
  askedOf({
    since: q.since,
    until: q.until,
    user: q.userId,
    poor: q.poorOnly,
    mediaType: q.mediaType,
    building: q.building,
    q: q.text,
    limit: q.limit,
    offset: q.offset,
  });

/** Calls matching every filter, newest first, one page. */
export async function callList(s: Service, who: Principal, search: CallSearch): Promise<CallPage> {
  requireIndividuals(who, 'individual calls');
  const answer = await page(s, search);
  await audited(s, who, 'calls.list', askedSearch(search), answer.calls.length);
  return answer;
}

/**
 * One user's calls: those they took part in, each with the user's own streams and poor streams (the streams whose
 * client end is that user), poor meaning their own streams were poor, over the period as the user's numbers count it. Audited under the user's pseudonym.
 */
export async function userCallList(
  s: Service,
  who: Principal,
  userId: string,
  search: Omit<CallSearch, 'userId'>,
): Promise<CallPage> {
  requireIndividuals(who, "a user's calls");
  const answer = await page(s, { ...search, userId });
  await audited(s, who, 'user.calls', userId, answer.calls.length);
  return answer;
}

/** The building map with the access-point and endpoint files it carries once they are imported. */
function placesOf(buildings: BuildingMap): CallPlaces {
  const assets = buildings.assets;
  if (!assets) return { buildings };
  return {
    buildings,
    accessPoint: (bssid) => {
      const ap = assets.accessPoint(bssid);
      return ap ? { name: ap.name, building: ap.building || null, floor: ap.floor || null } : undefined;
    },
    endpoint: (name) => assets.endpoint(name),
  };
}

export interface CallRecord {
  /** The normalized rows of the stored version (the CLI's text view). */
  rows: CallRows;
  /** The call nested as Graph nests it (the API, the dashboard, the CLI's JSON). */
  detail: CallDetail;
}

/** One call in full; not_found when no such call is stored. */
export async function callRecord(s: Service, who: Principal, id: string): Promise<CallRecord> {
  requireIndividuals(who, 'individual calls');
  const rows = await s.store.records.rows(id);
  if (!rows)
    throw new CalltroveError('not_found', `no call with id ${id} is stored`, {
      hint: 'list stored calls (GET /api/v1/calls, or `calltrove calls`), or import the record first',
    });
  const raw = await s.store.records.rawJson(id, rows.call.version);
  const detail = annotateCall(
    raw ? callDetailFromRaw(raw as JsonObject, rows) : callDetailOf(rows),
    placesOf(await s.store.buildings.map()),
  );
  await audited(s, who, 'call.read', id);
  return { rows, detail };
}
