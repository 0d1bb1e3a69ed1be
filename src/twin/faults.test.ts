// Faults on demand: each one shows up when asked for, stays away when not, and repeats for the same seed.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import type { ChangeNotification } from '../graph/odata.ts';
import type { FaultSettings } from './faults.ts';
import { graphClient, testTwin } from './test-client.ts';
import type { NotifyFn, Twin } from './twin.ts';

const twins: Twin[] = [];
function make(faults: 'none' | 'flaky' | 'storm' | Partial<FaultSettings>, notify?: NotifyFn) {
  const made = testTwin({ faults, notify });
  twins.push(made.twin);
  return made;
}
afterEach(() => {
  for (const t of twins.splice(0)) t.stop();
});

/** Statuses of n list requests; the clock moves on while a request is held (slow answers, timeouts). */
async function statuses(made: { twin: Twin; clock: ManualClock }, n: number): Promise<number[]> {
  const graph = await graphClient(made.twin);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let status = 0;
    const pending = graph.get('/communications/callRecords?$top=1').then((r) => {
      status = r.status;
    });
    while (status === 0) await made.clock.advance(1_000, 1);
    await pending;
    out.push(status);
  }
  return out;
}

describe('request faults', () => {
  it('flaky answers some requests with 503/504, the same ones for the same seed; none answers all', async () => {
    const a = await statuses(make('flaky'), 300);
    const b = await statuses(make('flaky'), 300);
    expect(a).toEqual(b);
    expect(a.filter((s) => s === 503 || s === 504).length).toBeGreaterThan(2);
    expect((await statuses(make('none'), 100)).every((s) => s === 200)).toBe(true);
  });

  it('a 503 burst lasts the configured number of requests, sometimes with Retry-After', async () => {
    const { twin } = make({ serverErrorRate: 1, serverErrorBurst: 4 });
    const graph = await graphClient(twin);
    const got = [];
    for (let i = 0; i < 40; i++) got.push(await graph.get('/communications/callRecords'));
    expect(got.every((r) => r.status === 503 || r.status === 504)).toBe(true);
    expect(got.some((r) => r.status === 503 && r.headers.get('retry-after'))).toBe(true);
    // Tokens are not part of the outage.
    expect((await graphClient(twin)).get).toBeTypeOf('function');
  });

  it('slow answers wait on the clock; timeouts end in 504', async () => {
    const slow = make({ slowRate: 1, slowMs: 5_000 });
    const graph = await graphClient(slow.twin);
    let done = false;
    const pending = graph.get('/communications/callRecords').then((r) => {
      done = true;
      return r;
    });
    await slow.clock.advance(4_000);
    expect(done).toBe(false);
    await slow.clock.advance(1_000);
    expect((await pending).status).toBe(200);

    const hung = make({ timeoutRate: 1, timeoutMs: 60_000 });
    const g2 = await graphClient(hung.twin);
    const waiting = g2.get('/communications/callRecords');
    await hung.clock.advance(60_000);
    expect((await waiting).status).toBe(504);
  });

  it('a 429 storm throttles every data request until it passes', async () => {
    const { twin } = make({ throttleStormRate: 1, throttleStormMs: 120_000 });
    const graph = await graphClient(twin);
    const res = await graph.get('/communications/callRecords');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect((await graph.get('/communications/callRecords/x/sessions')).status).toBe(429);
  });
});

/** Subscribes a recording receiver and returns what it got after `hours` of clock time. */
async function notifications(faults: Partial<FaultSettings>, hours: number) {
  const got: ChangeNotification[][] = [];
  const notify: NotifyFn = async (url, init) => {
    const token = new URL(url).searchParams.get('validationToken');
    if (token !== null) return { status: 200, text: async () => token };
    got.push((JSON.parse(init.body) as { value: ChangeNotification[] }).value);
    return { status: 202, text: async () => '' };
  };
  const { twin, clock } = make(faults, notify);
  const graph = await graphClient(twin);
  const sub = await twin.fetch(
    new Request('https://g/v1.0/subscriptions', {
      method: 'POST',
      headers: { authorization: (await authHeader(twin)) as string, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'created,updated',
        notificationUrl: 'https://rx.example/n',
        resource: 'communications/callRecords',
        expirationDateTime: new Date(clock.now() + 4000 * 60_000).toISOString(),
        clientState: 's',
      }),
    }),
  );
  expect(sub.status).toBe(201);
  await (clock as ManualClock).advance(hours * 3_600_000);
  return { got, twin, clock, graph, subId: ((await sub.json()) as { id: string }).id };
}

async function authHeader(twin: Twin): Promise<string> {
  const res = await twin.fetch(
    new Request(`https://x/${twin.homeTenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: twin.credentials.clientId,
        client_secret: twin.credentials.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    }),
  );
  return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
}

const key = (n: ChangeNotification) => `${n.resourceData?.id}:${n.changeType}`;

describe('notification faults', () => {
  it('drops, duplicates and reorders notifications as asked', async () => {
    const clean = (await notifications({}, 2)).got.flat();
    expect(clean.length).toBeGreaterThan(10);
    expect((await notifications({ dropNotificationRate: 1 }, 2)).got.flat()).toHaveLength(0);
    const doubled = (await notifications({ duplicateNotificationRate: 1 }, 2)).got.flat();
    expect(doubled.length).toBe(clean.length * 2);
    // Held-back batches arrive up to 10 minutes late: wait that long, then compare the same notifications' order.
    const shuffled = (await notifications({ reorderNotifications: true }, 2 + 11 / 60)).got.flat().map(key);
    const cleanKeys = clean.map(key);
    expect(cleanKeys.every((k) => shuffled.includes(k))).toBe(true);
    const common = shuffled.filter((k) => cleanKeys.includes(k));
    expect(common).not.toEqual(cleanKeys);
  });

  it('removes subscriptions without warning', async () => {
    const { got, twin, subId } = await notifications({ subscriptionRemovalRate: 1 }, 2);
    expect(got).toHaveLength(0);
    const res = await twin.fetch(
      new Request(`https://g/v1.0/subscriptions/${subId}`, {
        headers: { authorization: await authHeader(twin) },
      }),
    );
    expect(res.status).toBe(404);
  });

  it('keeps a new record 404 for a while after its first notification', async () => {
    const notFoundAfterNotifyMs = 10 * 60_000;
    const { got, twin, clock } = await notifications({ notFoundAfterNotifyMs }, 0);
    const truth = (await (await twin.fetch(new Request('https://x/_twin/truth'))).json()) as {
      tenants: Record<string, Array<{ id: string }>>;
    };
    const existing = new Set(truth.tenants[twin.homeTenantId].map((r) => r.id));
    let created: string | undefined;
    for (let i = 0; i < 60 && !created; i++) {
      await (clock as ManualClock).advance(60_000);
      created = got.flat().find((n) => n.changeType === 'created' && !existing.has(n.resourceData!.id!))
        ?.resourceData?.id;
    }
    expect(created).toBeDefined();
    const graph = await graphClient(twin);
    expect((await graph.get(`/communications/callRecords/${created}`)).status).toBe(404);
    await (clock as ManualClock).advance(notFoundAfterNotifyMs);
    expect((await graph.get(`/communications/callRecords/${created}`)).status).toBe(200);
  });
});

describe("Graph's side runs on graphClock, the world on clock", () => {
  it('a storm and the throttle windows end with Graph time, whatever the simulated time does', async () => {
    const graphClock = new ManualClock(Date.UTC(2026, 0, 5, 8));
    const made = testTwin({
      faults: { throttleStormRate: 1, throttleStormMs: 20_000 },
      throttle: { list: { limit: 1000, windowMs: 20_000 } },
      graphClock,
    });
    twins.push(made.twin);
    const graph = await graphClient(made.twin);
    const first = await graph.get('/communications/callRecords');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('20');
    // 45 minutes of simulated time (a twin at high --speed; tokens live an hour) do not end Graph's storm: its seconds are real.
    await made.clock.advance(45 * 60_000);
    const still = await graph.get('/communications/callRecords');
    expect(still.status).toBe(429);
    expect(Number(still.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    // 20 s of Graph time does, and a calm as long follows (no new storm at once, though every request may start one).
    await graphClock.advance(20_000);
    expect((await graph.get('/communications/callRecords')).status).toBe(200);
  });
});
