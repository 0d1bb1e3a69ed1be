// THE Graph HTTP client: bearer tokens, Retry-After, backoff with jitter, timeouts, adaptive concurrency, paging, counts.
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import { CalltroveError, type ErrorKind } from '../errors.ts';
import type { GraphErrorBody, ODataPage } from '../graph/odata.ts';
import { AimdLimiter } from './concurrency.ts';
import type { FetchLike } from './http-fetch.ts';
import type { TokenProvider } from './token-provider.ts';

/** What a request is for; counted separately (the bench and /metrics report them). */
export type RequestKind = 'record' | 'sessions' | 'participants' | 'list' | 'pstn' | 'subscription';

/**
 * Graph throttles per resource: a record's pages, the list of records, the PSTN and Direct Routing logs and
 * subscriptions each have budgets of their own. Each class gets its own limiter, so a 429 on a PSTN pull pauses
 * PSTN pulls only, and record fetches go on.
 */
export type ResourceClass = 'callRecords' | 'list' | 'pstn' | 'subscription';

export const resourceClassOf: Record<RequestKind, ResourceClass> = {
  record: 'callRecords',
  sessions: 'callRecords',
  participants: 'callRecords',
  list: 'list',
  pstn: 'pstn',
  subscription: 'subscription',
};

/** What Graph's final answer means to calltrove's callers (a CLI exit code, an alert). */
function kindOfGraphStatus(status: number): ErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 400) return 'bad_request';
  return 'unavailable';
}

/** Graph's answer after retries (status 0: no answer at all, `graphCode` says timeout or network). */
export class GraphHttpError extends CalltroveError {
  override name = 'GraphHttpError';
  constructor(
    readonly status: number,
    readonly graphCode: string,
    readonly method: string,
    readonly path: string,
    readonly requestId?: string,
  ) {
    super(
      kindOfGraphStatus(status),
      status === 0
        ? `Graph did not answer ${method} ${path} (${graphCode})`
        : `Graph answered ${status}${graphCode ? ` ${graphCode}` : ''} to ${method} ${path}`,
    );
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
  /** The process's stop: every wait (a slot, a backoff, a Retry-After, a request in flight) ends when it aborts. */
  signal?: AbortSignal;
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

/** How often one list page is asked for again after its request gave up (each try has its own retries). */
const pageTries = 5;

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
  private readonly limiters: Record<ResourceClass, AimdLimiter>;
  private readonly counts: RequestCounts = {};
  private readonly listeners: ((kind: RequestKind, status: string, ms: number) => void)[] = [];
  private readonly o: Required<Omit<GraphClientOptions, 'logger' | 'concurrency' | 'signal'>> & {
    logger?: Logger;
  };
  private readonly stop: AbortSignal;

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
    this.stop = options.signal ?? new AbortController().signal;
    const limiter = () => new AimdLimiter(options.clock, options.concurrency);
    this.limiters = { callRecords: limiter(), list: limiter(), pstn: limiter(), subscription: limiter() };
  }

  /** Ends pending limiter timers (a Retry-After pause) so a stopped collector leaves nothing behind. */
  close(): void {
    for (const l of Object.values(this.limiters)) l.close();
  }

  /** The limiter of the resource class a request kind belongs to. */
  limiterOf(kind: RequestKind): AimdLimiter {
    return this.limiters[resourceClassOf[kind]];
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
    return this.sleeping > 0 || Object.values(this.limiters).some((l) => l.pausedWaiters > 0);
  }

  private async sleep(ms: number): Promise<void> {
    this.sleeping++;
    try {
      await this.o.clock.sleep(ms, this.stop);
    } finally {
      this.sleeping--;
    }
  }

  /**
   * Exponential backoff with jitter: the cap doubles with each attempt (1 s, 2 s, 4 s ... backoffMaxMs) and the wait
   * is a random point in its upper half, so many workers spread apart and a long throttle is waited out in a few
   * tries instead of one every second or two.
   */
  backoff(attempt: number): number {
    const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.floor(cap / 2 + this.o.random() * (cap / 2));
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
    const limiter = this.limiterOf(kind);
    let failures = 0;
    let throttles = 0;
    let refreshed = false;
    const throttledSince = clock.now();
    for (;;) {
      if (this.stop.aborted) throw this.stop.reason;
      const epoch = await limiter.acquire(this.stop);
      const started = clock.now();
      let outcome:
        | { kind: 'response'; res: Response; text: string }
        | { kind: 'error'; label: string; error: unknown };
      const timeout = new AbortController();
      const controller = AbortSignal.any([timeout.signal, this.stop]);
      const timer = clock.setTimeout(() => timeout.abort(new Error('timeout')), this.o.timeoutMs);
      try {
        const token = await this.o.tokens.getToken();
        const res = await abortable(
          controller,
          this.o.fetch(url, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
              ...req.headers,
            },
            body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
            signal: controller,
          }),
        );
        const text = await abortable(controller, res.text());
        outcome = { kind: 'response', res, text };
      } catch (error) {
        // A stop, or a token that cannot be had (credentials): no retry helps.
        if (this.stop.aborted || error instanceof CalltroveError) {
          clock.clearTimeout(timer);
          limiter.release();
          throw this.stop.aborted ? this.stop.reason : error;
        }
        outcome = { kind: 'error', label: timeout.signal.aborted ? 'timeout' : 'network', error };
      } finally {
        clock.clearTimeout(timer);
      }
      const ms = clock.now() - started;
      if (outcome.kind === 'error') {
        limiter.release();
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
        // Without Retry-After, back off exponentially: Graph's window has not slid yet, asking again soon is useless.
        throttles++;
        const wait = retryAfterMs(res.headers.get('retry-after'), clock.now()) ?? this.backoff(throttles);
        limiter.onThrottled(epoch, wait);
        limiter.release();
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
      limiter.release();
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
      if (res.ok) limiter.onSuccess();
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
      const page: ODataPage<T> = await this.pageWithPatience<ODataPage<T>>(kind, next, req);
      pages++;
      await onPage(page.value ?? [], page);
      next = page['@odata.nextLink'];
    }
    return pages;
  }

  /**
   * One page of a listing, asked again (after a backoff) when Graph stays unavailable past the request's own
   * retries: a 5xx burst on page 9 of a backfill must not throw away pages 1 to 8 and end the run.
   */
  private async pageWithPatience<P>(kind: RequestKind, url: string, req: GraphRequest): Promise<P> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.json<P>(kind, url, req);
      } catch (err) {
        if (!(err instanceof GraphHttpError) || err.kind !== 'unavailable' || tries >= pageTries) throw err;
        this.o.logger?.warn({ kind, status: err.status, tries }, 'Graph list page unavailable; asking again');
        await this.sleep(this.backoff(tries + 2));
      }
    }
  }

  async getAllPages<T>(kind: RequestKind, pathOrUrl: string, req: GraphRequest = {}): Promise<T[]> {
    const all: T[] = [];
    await this.forEachPage<T>(kind, pathOrUrl, (items) => void all.push(...items), req);
    return all;
  }
}
