// Retrieval: /v1.0/communications/callRecords list, get with $expand and paging, sessions, participants_v2.
import { pageSizes } from '../graph/odata.ts';
import type { TwinCall } from './call-generator.ts';
import {
  decodeToken,
  encodeToken,
  graphErrorResponse,
  jsonResponse,
  omitNulls,
  preferences,
  type RequestContext,
} from './http.ts';
import { applySelect, matchesBounds, parseExpand, parseFilter, parseSelect } from './odata-query.ts';
import {
  participantJson,
  recordCore,
  sessionJson,
  type View,
  visibleParticipantList,
  visibleSessions,
} from './record-view.ts';
import type { World } from './world.ts';

type ListCursor = { s: number; i: string };
type OffsetCursor = { o: number };
const isListCursor = (v: unknown): v is ListCursor =>
  !!v && typeof (v as ListCursor).s === 'number' && typeof (v as ListCursor).i === 'string';
const isOffset = (v: unknown): v is OffsetCursor =>
  !!v && Number.isInteger((v as OffsetCursor).o) && (v as OffsetCursor).o >= 0;

/** Page size from $top or Prefer: odata.maxpagesize, never above Graph's maximum. */
function pageSize(ctx: RequestContext, max: number): number {
  const top = Number(ctx.url.searchParams.get('$top') ?? Number.NaN);
  const pref = Number(preferences(ctx.req).get('odata.maxpagesize') ?? Number.NaN);
  const asked = [top, pref].filter((n) => Number.isInteger(n) && n > 0);
  return Math.min(max, ...asked);
}

function answer(ctx: RequestContext, body: Record<string, unknown>): Response {
  const prefs = preferences(ctx.req);
  const applied: string[] = [];
  if (prefs.has('odata.maxpagesize')) applied.push(`odata.maxpagesize=${prefs.get('odata.maxpagesize')}`);
  let out: unknown = body;
  if (prefs.get('omit-values') === 'nulls') {
    out = omitNulls(body);
    applied.push('omit-values=nulls');
  }
  return jsonResponse(out, 200, {
    'request-id': ctx.requestId,
    'client-request-id': ctx.req.headers.get('client-request-id') ?? ctx.requestId,
    ...(applied.length ? { 'preference-applied': applied.join(',') } : {}),
  });
}

function notFound(ctx: RequestContext, id: string): Response {
  return graphErrorResponse(
    ctx,
    404,
    'NotFound',
    `The call record '${id}' was not found. Call records are kept for 30 days.`,
  );
}

export class CallRecordRoutes {
  constructor(private readonly world: World) {}

  private base(ctx: RequestContext): string {
    return `${ctx.origin}/v1.0`;
  }

  /** GET /communications/callRecords */
  list(ctx: RequestContext, tenantId: string): Response {
    const filter = parseFilter(ctx.url.searchParams.get('$filter'));
    if (!filter.ok) return graphErrorResponse(ctx, 400, 'BadRequest', filter.message);
    const select = parseSelect(ctx.url.searchParams.get('$select'));
    const size = pageSize(ctx, pageSizes.callRecords);
    const token = ctx.url.searchParams.get('$skiptoken');
    const cursor = token ? decodeToken(token, isListCursor) : null;
    if (token && !cursor)
      return graphErrorResponse(
        ctx,
        400,
        'BadRequest',
        'The $skiptoken is not valid. Follow @odata.nextLink as returned.',
      );
    const items: Record<string, unknown>[] = [];
    let more = false;
    let last: TwinCall | undefined;
    for (const call of this.world.calls) {
      if (cursor && (call.startMs < cursor.s || (call.startMs === cursor.s && call.id <= cursor.i))) continue;
      if (!matchesBounds(filter.value, call.startMs)) continue;
      if (
        filter.value.participantIds.length &&
        !filter.value.participantIds.every((id) => call.participants.some((p) => p.id === id))
      )
        continue;
      const version = this.world.versionOf(call, tenantId, ctx.now);
      if (!version) continue;
      if (items.length === size) {
        more = true;
        break;
      }
      items.push(applySelect(recordCore(call, tenantId, version, this.base(ctx), true), select));
      last = call;
    }
    const body: Record<string, unknown> = {
      '@odata.context': `${this.base(ctx)}/$metadata#communications/callRecords`,
      value: items,
    };
    if (more && last) {
      // Graph writes the $-options literally and encodes only their values.
      const query = ['$filter', '$select', '$top']
        .filter((key) => ctx.url.searchParams.get(key))
        .map((key) => `${key}=${encodeURIComponent(ctx.url.searchParams.get(key)!)}`);
      query.push(`$skiptoken=${encodeToken({ s: last.startMs, i: last.id })}`);
      body['@odata.nextLink'] = `${this.base(ctx)}/communications/callRecords?${query.join('&')}`;
    }
    return answer(ctx, body);
  }

  private find(ctx: RequestContext, tenantId: string, id: string): View | Response {
    const call = this.world.byId.get(id);
    const view = call && this.world.view(call, tenantId, ctx.now);
    return view || notFound(ctx, id);
  }

  /** GET /communications/callRecords/{id}[?$expand=...] */
  get(ctx: RequestContext, tenantId: string, id: string): Response {
    const expand = parseExpand(ctx.url.searchParams.get('$expand'));
    if (!expand.ok) return graphErrorResponse(ctx, 400, 'BadRequest', expand.message);
    const view = this.find(ctx, tenantId, id);
    if (view instanceof Response) return view;
    const base = this.base(ctx);
    const e = expand.value;
    const parts = [
      e.sessions ? `sessions(${e.segments ? 'segments()' : ''})` : '',
      e.participants ? 'participants_v2()' : '',
    ].filter(Boolean);
    const body: Record<string, unknown> = {
      '@odata.context': `${base}/$metadata#communications/callRecords${parts.length ? `(${parts.join(',')})` : ''}/$entity`,
      ...applySelect(
        recordCore(view.model.call, tenantId, view.version, base, false),
        parseSelect(ctx.url.searchParams.get('$select')),
      ),
      'participants_v2@odata.context': `${base}/$metadata#communications/callRecords('${id}')/participants_v2/$entity`,
    };
    if (e.participants) {
      const people = visibleParticipantList(view);
      if (people.length > pageSizes.participants)
        body['participants_v2@odata.nextLink'] =
          `${base}/communications/callRecords/${id}/participants_v2?$skiptoken=${encodeToken({ o: pageSizes.participants })}`;
      body.participants_v2 = people.slice(0, pageSizes.participants).map(participantJson);
    }
    if (e.sessions) {
      const sessions = visibleSessions(view);
      body.sessions = sessions.slice(0, pageSizes.sessions).map((s) => sessionJson(view, s, e.segments));
      if (sessions.length > pageSizes.sessions)
        body['sessions@odata.nextLink'] =
          `${base}/communications/callRecords/${id}/sessions?${e.segments ? '$expand=segments&' : ''}$skiptoken=${encodeToken({ o: pageSizes.sessions })}`;
    }
    return answer(ctx, body);
  }

  private offset(ctx: RequestContext): number | Response {
    const token = ctx.url.searchParams.get('$skiptoken');
    if (!token) return 0;
    const cursor = decodeToken(token, isOffset);
    return cursor
      ? cursor.o
      : graphErrorResponse(
          ctx,
          400,
          'BadRequest',
          'The $skiptoken is not valid. Follow @odata.nextLink as returned.',
        );
  }

  /** GET /communications/callRecords/{id}/sessions[?$expand=segments] */
  sessions(ctx: RequestContext, tenantId: string, id: string): Response {
    const expand = parseExpand(ctx.url.searchParams.get('$expand'), true);
    if (!expand.ok) return graphErrorResponse(ctx, 400, 'BadRequest', expand.message);
    const view = this.find(ctx, tenantId, id);
    if (view instanceof Response) return view;
    const from = this.offset(ctx);
    if (from instanceof Response) return from;
    const size = pageSize(ctx, pageSizes.sessions);
    const all = visibleSessions(view);
    const base = this.base(ctx);
    const seg = expand.value.segments;
    const body: Record<string, unknown> = {
      '@odata.context': `${base}/$metadata#communications/callRecords('${id}')/sessions${seg ? '(segments())' : ''}`,
      value: all.slice(from, from + size).map((s) => sessionJson(view, s, seg)),
    };
    if (from + size < all.length)
      body['@odata.nextLink'] =
        `${base}/communications/callRecords/${id}/sessions?${seg ? '$expand=segments&' : ''}$skiptoken=${encodeToken({ o: from + size })}`;
    return answer(ctx, body);
  }

  /** GET /communications/callRecords/{id}/participants_v2 */
  participants(ctx: RequestContext, tenantId: string, id: string): Response {
    const view = this.find(ctx, tenantId, id);
    if (view instanceof Response) return view;
    const from = this.offset(ctx);
    if (from instanceof Response) return from;
    const size = pageSize(ctx, pageSizes.participants);
    const all = visibleParticipantList(view);
    const base = this.base(ctx);
    const select = parseSelect(ctx.url.searchParams.get('$select'));
    const body: Record<string, unknown> = {
      '@odata.context': `${base}/$metadata#communications/callRecords('${id}')/participants_v2`,
      value: all.slice(from, from + size).map((p) => applySelect(participantJson(p), select)),
    };
    if (from + size < all.length)
      body['@odata.nextLink'] =
        `${base}/communications/callRecords/${id}/participants_v2?$skiptoken=${encodeToken({ o: from + size })}`;
    return answer(ctx, body);
  }
}
