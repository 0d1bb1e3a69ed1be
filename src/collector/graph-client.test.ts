// The Graph client: Retry-After, backoff on 5xx and timeouts, one token refresh on 401, AIMD, paging, counts.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { GraphClient, GraphHttpError, retryAfterMs } from './graph-client.ts';
import { fakeGraph, staticTokens } from './test-fakes.ts';

const graphUrl = 'https://graph.test/v1.0';

function client(handler: Parameters<typeof fakeGraph>[0], clock = new ManualClock(), extra = {}) {
  const graph = fakeGraph(handler);
  const tokens = staticTokens();
  const c = new GraphClient({ graphUrl, fetch: graph.fetch, tokens, clock, random: () => 0.5, ...extra });
  return { c, graph, tokens, clock };
}

describe('graph client', () => {
  it('waits as long as Retry-After says, then retries, and halves its concurrency', async () => {
    let calls = 0;
    const { c, clock } = client(() =>
      ++calls === 1
        ? new Response('{}', { status: 429, headers: { 'retry-after': '7' } })
        : Response.json({ ok: true }),
    );
    const before = c.limiterOf('record').limit;
    let done = false;
    const p = c.json('record', '/x').then((b) => {
      done = true;
      return b;
    });
    await clock.advance(6_900);
    expect(done).toBe(false);
    await clock.advance(200);
    expect(await p).toEqual({ ok: true });
    expect(c.limiterOf('record').limit).toBe(Math.max(1, Math.floor(before / 2)));
    expect(c.requestCounts()).toEqual({ record: { '429': 1, '200': 1 } });
  });

  it('a 429 on one resource class pauses that class only: PSTN throttled, records go on', async () => {
    const { c, clock } = client((req) =>
      req.url.pathname.includes('getPstnCalls')
        ? new Response('{}', { status: 429, headers: { 'retry-after': '60' } })
        : Response.json({ ok: req.url.pathname }),
    );
    const pstn = c.json('pstn', '/communications/callRecords/getPstnCalls').catch((e: unknown) => e);
    await clock.advance(10);
    // The PSTN limiter waits out its Retry-After; a record fetch is answered without the clock moving.
    expect(await c.json('record', '/communications/callRecords/r1')).toEqual({
      ok: '/v1.0/communications/callRecords/r1',
    });
    expect(c.limiterOf('pstn').pausedWaiters + (c.waitingOnClock ? 1 : 0)).toBeGreaterThan(0);
    void pstn;
  });

  it('backs off exponentially on 429s without Retry-After (1 s, 2 s, 4 s ... up to the cap)', async () => {
    const seenAt: number[] = [];
    const clock = new ManualClock(0);
    const { c } = client(
      () => {
        seenAt.push(clock.now());
        return seenAt.length <= 6 ? new Response('{}', { status: 429 }) : Response.json({ ok: true });
      },
      clock,
      { random: () => 1 },
    );
    const p = c.json('record', '/x');
    await clock.advanceUntil(() => seenAt.length >= 7, 250, 600_000);
    expect(await p).toEqual({ ok: true });
    const gaps = seenAt.slice(1).map((t, i) => t - seenAt[i]);
    // random() = 1 picks the top of each window: exactly the doubling cap.
    expect(gaps.map((g) => Math.round(g / 250) * 250)).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('ends a Retry-After wait at once when the stop signal aborts', async () => {
    const stop = new AbortController();
    const { c, clock } = client(
      () => new Response('{}', { status: 429, headers: { 'retry-after': '600' } }),
      new ManualClock(),
      { signal: stop.signal },
    );
    const p = c.json('record', '/x').catch((e: unknown) => e);
    await clock.advance(1000);
    stop.abort(new Error('stopping'));
    // No clock movement: the wait ends on the abort alone.
    expect(await p).toMatchObject({ message: 'stopping' });
    c.close();
  });

  it('retries 5xx with backoff and gives up after maxAttempts', async () => {
    let calls = 0;
    const { c, clock } = client(
      () => {
        calls++;
        return new Response('{"error":{"code":"ServiceUnavailable","message":"x"}}', { status: 503 });
      },
      new ManualClock(),
      { maxAttempts: 3 },
    );
    const p = c.json('list', '/communications/callRecords').catch((e: unknown) => e);
    await clock.advanceUntil(() => calls >= 3, 1000, 120_000);
    const err = await p;
    expect(err).toBeInstanceOf(GraphHttpError);
    expect((err as GraphHttpError).status).toBe(503);
    expect(calls).toBe(3);
  });

  it('times a hanging request out and retries it', async () => {
    let calls = 0;
    const { c, clock } = client(
      (req) =>
        ++calls === 1 ? new Promise<Response>(() => undefined) : Response.json({ n: req.url.pathname }),
      new ManualClock(),
      { timeoutMs: 10_000 },
    );
    // The first fetch never settles, and ignores its signal: the client still gives up on it.
    const p = c.json<{ n: string }>('record', '/y');
    await clock.advanceUntil(() => calls >= 2, 1000, 60_000);
    expect((await p).n).toBe('/v1.0/y');
    expect(c.requestCounts().record.timeout).toBe(1);
  });

  it('refreshes the token once on 401', async () => {
    const { c, tokens } = client((req) =>
      req.token === 'token-1' ? Response.json({}, { status: 401 }) : Response.json({ token: req.token }),
    );
    expect(await c.json('record', '/z')).toEqual({ token: 'token-2' });
    expect(tokens.acquired).toBe(2);
    const always = client(() => Response.json({}, { status: 401 }));
    expect((await always.c.request('record', '/z')).status).toBe(401);
    expect(always.tokens.acquired).toBe(2);
  });

  it('follows every @odata.nextLink', async () => {
    const { c, graph } = client((req) => {
      const page = Number(req.url.searchParams.get('$skiptoken') ?? '0');
      return Response.json({
        value: [page * 2, page * 2 + 1],
        ...(page < 2 ? { '@odata.nextLink': `${graphUrl}/items?$skiptoken=${page + 1}` } : {}),
      });
    });
    expect(await c.getAllPages<number>('list', '/items')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(graph.seen).toHaveLength(3);
  });

  it('asks for a list page again when Graph stays unavailable past the request retries; earlier pages stand', async () => {
    let failing = 5;
    const { c, clock } = client(
      (req) => {
        const page = Number(req.url.searchParams.get('$skiptoken') ?? '0');
        if (page === 1 && failing-- > 0) return new Response('{}', { status: 503 });
        return Response.json({
          value: [page],
          ...(page < 2 ? { '@odata.nextLink': `${graphUrl}/items?$skiptoken=${page + 1}` } : {}),
        });
      },
      new ManualClock(),
      { maxAttempts: 2 },
    );
    let done = false;
    const all = c.getAllPages<number>('list', '/items').finally(() => {
      done = true;
    });
    await clock.advanceUntil(() => done, 1000, 600_000);
    expect(await all).toEqual([0, 1, 2]);
    expect(c.requestCounts().list['503']).toBe(5);
  });

  it('answers 404 to the caller without retrying', async () => {
    const { c, graph } = client(() =>
      Response.json({ error: { code: 'NotFound', message: 'x' } }, { status: 404 }),
    );
    expect((await c.request('record', '/r')).status).toBe(404);
    expect(graph.seen).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
