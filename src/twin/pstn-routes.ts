// getPstnCalls / getDirectRoutingCalls: date-range rules (at most 90 days), 1,000 rows a page with $skip links.
import { pageSizes } from '../graph/odata.ts';
import { graphErrorResponse, jsonResponse, type RequestContext } from './http.ts';
import { directRoutingRow, pstnCallRow, pstnLogDelayMs } from './pstn-logs.ts';
import type { World } from './world.ts';

export type PstnFunction = 'getPstnCalls' | 'getDirectRoutingCalls';

const maxRangeMs = 90 * 86_400_000;
const fnPattern = /^(getPstnCalls|getDirectRoutingCalls)\((.*)\)$/;

/** Parses "getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)" (path segment, already decoded). */
export function parsePstnFunction(segment: string): { fn: PstnFunction; args: Map<string, string> } | null {
  const m = fnPattern.exec(segment);
  if (!m) return null;
  const args = new Map<string, string>();
  for (const part of m[2].split(',')) {
    const [k, ...v] = part.split('=');
    if (k) args.set(k.trim(), v.join('=').trim().replace(/^'|'$/g, ''));
  }
  return { fn: m[1] as PstnFunction, args };
}

export class PstnRoutes {
  constructor(
    private readonly world: World,
    private readonly seed: number,
  ) {}

  handle(ctx: RequestContext, tenantId: string, fn: PstnFunction, args: Map<string, string>): Response {
    const fromText = args.get('fromDateTime');
    const toText = args.get('toDateTime');
    if (!fromText || !toText)
      return graphErrorResponse(
        ctx,
        400,
        'BadRequest',
        `${fn} needs both fromDateTime and toDateTime, e.g. ${fn}(fromDateTime=2025-01-01,toDateTime=2025-01-31).`,
      );
    const from = Date.parse(fromText);
    const to = Date.parse(toText);
    if (Number.isNaN(from) || Number.isNaN(to))
      return graphErrorResponse(
        ctx,
        400,
        'BadRequest',
        'fromDateTime and toDateTime must be UTC dates or date-times (ISO 8601).',
      );
    if (to <= from)
      return graphErrorResponse(ctx, 400, 'BadRequest', 'toDateTime must be later than fromDateTime.');
    if (to - from > maxRangeMs)
      return graphErrorResponse(ctx, 400, 'BadRequest', 'The date range cannot be more than 90 days.');
    const skipText = ctx.url.searchParams.get('$skip');
    const skip = skipText === null ? 0 : Number(skipText);
    if (!Number.isInteger(skip) || skip < 0)
      return graphErrorResponse(ctx, 400, 'BadRequest', '$skip must be a non-negative integer.');
    const kind = fn === 'getPstnCalls' ? 'pstn' : 'directRouting';
    // getPstnCalls includes its end; getDirectRoutingCalls excludes it.
    const inRange = (start: number) => start >= from && (fn === 'getPstnCalls' ? start <= to : start < to);
    const calls = this.world.calls.filter(
      (c) =>
        c.kind === kind &&
        c.participants[0].tenantId === tenantId &&
        inRange(c.startMs) &&
        c.endMs + pstnLogDelayMs <= ctx.now,
    );
    const size = pageSizes.pstnRows;
    const page = calls
      .slice(skip, skip + size)
      .map((c) => (kind === 'pstn' ? pstnCallRow(c, this.seed) : directRoutingRow(c, this.seed)));
    const base = `${ctx.origin}/v1.0`;
    const type = kind === 'pstn' ? 'pstnCallLogRow' : 'directRoutingLogRow';
    const body: Record<string, unknown> = {
      '@odata.context': `${base}/$metadata#Collection(microsoft.graph.callRecords.${type})`,
      '@odata.count': calls.length,
      value: page,
    };
    if (skip + size < calls.length)
      body['@odata.nextLink'] =
        `${base}/communications/callRecords/${fn}(fromDateTime=${fromText},toDateTime=${toText})?$skip=${skip + size}`;
    return jsonResponse(body, 200, { 'request-id': ctx.requestId });
  }
}
