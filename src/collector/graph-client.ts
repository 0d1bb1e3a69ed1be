// THE Graph HTTP client: bearer tokens, Retry-After, backoff with jitter, timeouts, adaptive concurrency, paging, counts.
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import type { GraphErrorBody, ODataPage } from '../graph/odata.ts';
import { AimdLimiter } from './concurrency.ts';
import type { FetchLike } from './http-fetch.ts';
import type { TokenProvider } from './token-provider.ts';

/** What a request is for; counted separately (the bench and /metrics report them). */
export type RequestKind = 'record' | 'sessions' | 'participants' | 'list' | 'pstn' | 'subscription';

export class GraphHttpError extends Error {
  override name = 'GraphHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly method: string,
    readonly path: string,
    readonly requestId?: string,
  ) {
    super(`Graph answered ${status}${code ? ` ${code}` : ''} to ${method} ${path}`);
  }
}

export interface GraphClientOptions {
  graphUrl: string;
  fetch: FetchLike;
  tokens: TokenProvider;
  clock: Clock;
  logger?: Logger;
  timeoutMs?: number;
  /** Attempts for 5xx and network failures; 429s are retried for as long as maxThrottledMs allows. */
  maxAttempts?: number;
  maxThrottledMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  concurrency?: { initial?: number; min?: number; max?: number };
  random?: () => number;
}

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type RequestCounts = Record<string, Record<string, number>>;

const retryableStatus = new Set([500, 502, 503, 504]);

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Settles with the signal's abort even when a fetch implementation ignores the signal (in-process fakes). */
function abortable<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export class GraphClient {
  readonly graphUrl: string;
  readonly limiter: AimdLimiter;
  private readonly counts: RequestCounts = {};
  private readonly listeners: ((kind: RequestKind, status: string, ms: number) => void)[] = [];
  private readonly o: Required<Omit<GraphClientOptions, 'logger' | 'concurrency'>> & { logger?: Logger };

  constructor(options: GraphClientOptions) {
    this.graphUrl = options.graphUrl.replace(/\/$/, '');
    this.o = {
      timeoutMs: 30_000,
      maxAttempts: 6,
      maxThrottledMs: 30 * 60_000,
      backoffBaseMs: 1000,
      backoffMaxMs: 60_000,
      random: Math.random,
      ...options,
    };
    this.limiter = new AimdLimiter(options.clock, options.concurrency);
  }

  /** Absolute URL for a Graph path (`/communications/callRecords`) or a next link (already absolute). */
  url(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl)
      ? pathOrUrl
      : `${this.graphUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  /** Requests served so far, by kind and status (`429`, `200`, `timeout`, `network`). */
  requestCounts(): RequestCounts {
    return structuredClone(this.counts);
  }

  totalRequests(kinds?: readonly RequestKind[]): number {
    let n = 0;
    for (const [k, byStatus] of Object.entries(this.counts))
      if (!kinds || kinds.includes(k as RequestKind)) for (const c of Object.values(byStatus)) n += c;
    return n;
  }

  onRequest(listener: (kind: RequestKind, status: string, ms: number) => void): void {
    this.listeners.push(listener);
  }

  private count(kind: RequestKind, status: string, ms: number): void {
    const byStatus = this.counts[kind] ?? {};
    this.counts[kind] = byStatus;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    for (const l of this.listeners) l(kind, status, ms);
  }

  private sleeping = 0;

  /** Whether some request is only waiting for time to pass (a backoff, a Retry-After): tests move the clock then. */
  get waitingOnClock(): boolean {
    return this.sleeping > 0 || this.limiter.pausedWaiters > 0;
  }

  private async sleep(ms: number): Promise<void> {
    this.sleeping++;
    try {
      await this.o.clock.sleep(ms);
    } finally {
      this.sleeping--;
    }
  }

  private backoff(attempt: number): number {
    // Full jitter: a random wait up to the exponential cap spreads retries of many workers apart.
    const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** attempt);
    return Math.floor(this.o.random() * cap);
  }

  /**
   * Sends one request with retries; answers every final status (404 included) to the caller, and throws
   * GraphHttpError only when retries are exhausted on 429/5xx/network failures.
   */
  async request<T>(kind: RequestKind, pathOrUrl: string, req: GraphRequest = {}): Promise<GraphResponse<T>> {
    const url = this.url(pathOrUrl);
    const method = req.method ?? 'GET';
    const path = new URL(url).pathname;
    const { clock } = this.o;
    let failures = 0;
    let refreshed = false;
    const throttledSince = clock.now();
    for (;;) {
      const epoch = await this.limiter.acquire();
      const started = clock.now();
      let outcome:
        | { kind: 'response'; res: Response; text: string }
        | { kind: 'error'; label: string; error: unknown };
      const controller = new AbortController();
      const timer = clock.setTimeout(() => controller.abort(new Error('timeout')), this.o.timeoutMs);
      try {
        const token = await this.o.tokens.getToken();
        const res = await abortable(
          controller.signal,
          this.o.fetch(url, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
              ...req.headers,
            },
            body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
            signal: controller.signal,
          }),
        );
        const text = await abortable(controller.signal, res.text());
        outcome = { kind: 'response', res, text };
      } catch (error) {
        if ((error as { name?: string }).name === 'CalltroveError') {
          clock.clearTimeout(timer);
          this.limiter.release();
          throw error;
        }
        outcome = { kind: 'error', label: controller.signal.aborted ? 'timeout' : 'network', error };
      } finally {
        clock.clearTimeout(timer);
      }
      const ms = clock.now() - started;
      if (outcome.kind === 'error') {
        this.limiter.release();
        this.count(kind, outcome.label, ms);
        failures++;
        if (failures >= this.o.maxAttempts)
          throw new GraphHttpError(0, outcome.label, method, path, undefined);
        this.o.logger?.debug(
          { kind, path, failure: outcome.label, failures },
          'Graph request failed, retrying',
        );
        await this.sleep(this.backoff(failures));
        continue;
      }
      const { res, text } = outcome;
      this.count(kind, String(res.status), ms);
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'), clock.now()) ?? this.backoff(failures + 1);
        this.limiter.onThrottled(epoch, wait);
        this.limiter.release();
        if (clock.now() - throttledSince > this.o.maxThrottledMs)
          throw new GraphHttpError(
            429,
            'TooManyRequests',
            method,
            path,
            res.headers.get('request-id') ?? undefined,
          );
        continue;
      }
      this.limiter.release();
      if (res.status === 401 && !refreshed) {
        // A token revoked or expired early: one fresh token, then the answer stands.
        refreshed = true;
        await this.o.tokens.getToken({ forceRefresh: true });
        continue;
      }
      if (retryableStatus.has(res.status)) {
        failures++;
        if (failures >= this.o.maxAttempts) throw this.httpError(res, text, method, path);
        const hinted = retryAfterMs(res.headers.get('retry-after'), clock.now());
        await this.sleep(hinted ?? this.backoff(failures));
        continue;
      }
      if (res.ok) this.limiter.onSuccess();
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          if (res.ok) throw new GraphHttpError(res.status, 'InvalidJson', method, path);
        }
      }
      return { status: res.status, body: body as T, headers: res.headers };
    }
  }

  private httpError(res: Response, text: string, method: string, path: string): GraphHttpError {
    let code = '';
    try {
      code = (JSON.parse(text) as GraphErrorBody).error?.code ?? '';
    } catch {
      // A non-JSON error page: the status says enough.
    }
    return new GraphHttpError(res.status, code, method, path, res.headers.get('request-id') ?? undefined);
  }

  /** A request whose answer must be 2xx; anything else becomes a GraphHttpError. */
  async json<T>(kind: RequestKind, pathOrUrl: string, req: GraphRequest = {}): Promise<T> {
    const r = await this.request<T>(kind, pathOrUrl, req);
    if (r.status >= 200 && r.status < 300) return r.body;
    const err = r.body as unknown as GraphErrorBody | null;
    throw new GraphHttpError(
      r.status,
      err?.error?.code ?? '',
      req.method ?? 'GET',
      new URL(this.url(pathOrUrl)).pathname,
    );
  }

  /** Every page of a collection, following `@odata.nextLink` until it is absent; pages are handed over as they come. */
  async forEachPage<T>(
    kind: RequestKind,
    pathOrUrl: string,
    onPage: (items: T[], page: ODataPage<T>) => Promise<void> | void,
    req: GraphRequest = {},
  ): Promise<number> {
    let next: string | undefined = pathOrUrl;
    let pages = 0;
    while (next) {
      const page: ODataPage<T> = await this.json<ODataPage<T>>(kind, next, req);
      pages++;
      await onPage(page.value ?? [], page);
      next = page['@odata.nextLink'];
    }
    return pages;
  }

  async getAllPages<T>(kind: RequestKind, pathOrUrl: string, req: GraphRequest = {}): Promise<T[]> {
    const all: T[] = [];
    await this.forEachPage<T>(kind, pathOrUrl, (items) => void all.push(...items), req);
    return all;
  }
}
