// Small HTTP vocabulary for the twin's routes: the request context, JSON answers and Graph's error body.
import { graphError } from '../graph/odata.ts';

export interface RequestContext {
  req: Request;
  url: URL;
  /** scheme://host[:port] as the client addressed the twin; links and metadata are built on it. */
  origin: string;
  now: number;
  requestId: string;
}

const graphJson =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: status === 204 ? headers : { 'content-type': graphJson, ...headers },
  });
}

/** Graph's `{error:{code,message,innerError}}` with the request ids Graph puts in headers too. */
export function graphErrorResponse(
  ctx: RequestContext,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(graphError(code, message, new Date(ctx.now), ctx.requestId), status, {
    'request-id': ctx.requestId,
    'client-request-id': ctx.req.headers.get('client-request-id') ?? ctx.requestId,
    ...headers,
  });
}

/** Preferences from `Prefer` headers, e.g. odata.maxpagesize=10, omit-values=nulls. */
export function preferences(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.get('prefer') ?? '').split(',')) {
    const [k, v] = part.trim().split('=');
    if (k) out.set(k.toLowerCase(), (v ?? '').replace(/^"|"$/g, ''));
  }
  return out;
}

/** Drops null-valued properties everywhere (Prefer: omit-values=nulls). */
export function omitNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(omitNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = omitNulls(v);
    return out;
  }
  return value;
}

/** Opaque paging tokens: base64url JSON, refused (400) if tampered with. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string, valid: (v: unknown) => v is T): T | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return valid(v) ? v : null;
  } catch {
    return null;
  }
}
