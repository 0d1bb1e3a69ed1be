// What every channel does: send one message (or throw a DeliveryError whose text holds no secret), say where it
// sends without its secrets, and mask its secrets in any text.

import type { ChannelConfig } from '../../config/alerts-config.ts';
import { CalltroveError } from '../../errors.ts';
import type { AlertMessage } from '../message.ts';

export interface Delivery {
  /** `<event id>:<channel>` for stored messages: receivers deduplicate on it. */
  id: string;
  /** ISO time of this attempt. */
  sentAt: string;
}

export interface Channel {
  readonly name: string;
  readonly type: 'webhook' | 'teams' | 'email';
  /** Where it sends, secrets masked (host only for URLs, which carry signatures). */
  readonly target: string;
  send(message: AlertMessage, delivery: Delivery): Promise<void>;
  /** `text` with every secret of this channel replaced by `***`. */
  mask(text: string): string;
  close?(): Promise<void>;
}

/** A failed attempt: the message is safe to store and show; retryAfterMs when the receiver asked for a pause. */
export class DeliveryError extends CalltroveError {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super('unavailable', message);
  }
}

/** A masker for the given secrets (empty and very short strings ignored), longest first so parts never leak. */
export function masker(secrets: readonly (string | undefined)[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join('***');
    return out;
  };
}

/** The secret parts of a URL: the whole URL, its path and query (a Workflows URL's `sig=` is its password). */
export function urlSecrets(url: string): string[] {
  const u = new URL(url);
  const out = [url, u.search, u.search.slice(1), ...u.searchParams.values()];
  if (u.pathname.length > 1) out.push(u.pathname, `${u.host}${u.pathname}`);
  if (u.password) out.push(u.password);
  return out;
}

/** A URL as shown: scheme, host and port only. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…`;
}

/** Retry-After in ms (seconds or an HTTP date), capped at an hour; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  const ms = Number.isFinite(s) ? s * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 3_600_000) : undefined;
}

/** Posts JSON and throws a DeliveryError (status only, never the body or URL) unless the receiver answers 2xx. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  mask: (t: string) => string,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new DeliveryError(mask(`cannot reach ${shownUrl(url)}: ${why}`));
  }
  // The body is read and dropped: receivers echo what they were sent (the URL's signature among it).
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return;
  throw new DeliveryError(
    mask(`${shownUrl(url)} answered HTTP ${res.status}`),
    retryAfterMs(res.headers.get('retry-after'), Date.now()),
  );
}

/** Name, type and where it sends, secrets left out: what lists and the dashboard show of a channel. */
export function describeChannel(c: ChannelConfig): {
  name: string;
  type: ChannelConfig['type'];
  target: string;
} {
  const target =
    c.type === 'email' ? `smtp://${c.host}:${c.port} to ${c.to.length} recipient(s)` : shownUrl(c.url);
  return { name: c.name, type: c.type, target };
}
