// The callRecords change-notification subscription: create, check it still exists, renew before expiry, recreate.
import { randomBytes } from 'node:crypto';
import { CalltroveError } from '../errors.ts';
import type { GraphErrorBody, Subscription } from '../graph/odata.ts';
import { callRecordsSubscriptionMaxMinutes } from '../graph/odata.ts';
import type { SubscriptionState } from '../store/collector-state.ts';
import type { ClaimedJob } from '../store/work-queue.ts';
import type { CollectorContext } from './context.ts';
import { jobKinds } from './planner.ts';

/** Ask for a little less than Graph's maximum: a request beyond it fails outright. */
const lifetimeMs = (callRecordsSubscriptionMaxMinutes - 15) * 60_000;
const resource = '/communications/callRecords';

export type SubscriptionReason = 'start' | 'check' | 'reauthorizationRequired' | 'subscriptionRemoved';

const iso = (t: number) => new Date(t).toISOString();

function graphMessage(body: unknown): string {
  const e = (body as GraphErrorBody | null)?.error;
  return e ? `${e.code}: ${e.message}` : '';
}

/** Turns a refused subscription request into what the admin must fix. */
function refusal(status: number, body: unknown, notificationUrl: string): CalltroveError {
  const message = graphMessage(body);
  if (status === 400 && /validat|notification endpoint|notificationUrl/i.test(message))
    return new CalltroveError('config', `Graph could not validate the notification URL ${notificationUrl}`, {
      hint:
        'Graph sends a validation request to CALLTROVE_NOTIFICATION_URL and needs an answer within 10 s: the URL must be ' +
        "reachable from the internet over HTTPS and forward to this collector's --listen address (check the reverse proxy or tunnel).",
    });
  if (status === 401 || status === 403)
    return new CalltroveError(
      'config',
      `Graph refused to create the callRecords subscription (HTTP ${status})`,
      {
        hint: 'Grant the application permission CallRecords.Read.All in Entra ID and give admin consent.',
      },
    );
  return new CalltroveError(
    'unavailable',
    `Graph refused the subscription request (HTTP ${status}${message ? `, ${message}` : ''})`,
    {
      hint: 'Check CALLTROVE_NOTIFICATION_URL (an https URL) and the collector log.',
    },
  );
}

async function create(ctx: CollectorContext, notificationUrl: string, replacing: SubscriptionState | null) {
  const { clock, client } = ctx;
  const { collectorState } = ctx.store;
  const now = clock.now();
  const clientState = randomBytes(32).toString('base64url');
  const state = await collectorState.read();
  // Accepted before Graph knows it: the first notifications may beat our write of the new subscription.
  const others = (state.otherClientStates ?? []).filter((o) => o.until > now);
  others.push({ clientState, until: now + 3600_000 });
  if (replacing)
    others.push({ clientState: replacing.clientState, until: Math.max(replacing.expiresAt, now + 3600_000) });
  await collectorState.write({ otherClientStates: others }, now);
  const res = await client.request<Subscription>('subscription', '/subscriptions', {
    method: 'POST',
    body: {
      changeType: 'created,updated',
      notificationUrl,
      lifecycleNotificationUrl: notificationUrl,
      resource,
      expirationDateTime: iso(now + lifetimeMs),
      clientState,
      latestSupportedTlsVersion: 'v1_2',
    },
  });
  if (res.status !== 201 && res.status !== 200) throw refusal(res.status, res.body, notificationUrl);
  const sub: SubscriptionState = {
    id: res.body.id,
    expiresAt: Date.parse(res.body.expirationDateTime) || now + lifetimeMs,
    clientState,
    notificationUrl,
    createdAt: clock.now(),
  };
  await collectorState.write({ subscription: sub, lastProblem: null }, clock.now());
  ctx.logger.info(
    { subscriptionId: sub.id, expiresAt: iso(sub.expiresAt) },
    'created the callRecords subscription',
  );
  return sub;
}

async function renew(ctx: CollectorContext, sub: SubscriptionState): Promise<SubscriptionState | null> {
  const now = ctx.clock.now();
  const res = await ctx.client.request<Subscription>(
    'subscription',
    `/subscriptions/${encodeURIComponent(sub.id)}`,
    {
      method: 'PATCH',
      body: { expirationDateTime: iso(now + lifetimeMs) },
    },
  );
  if (res.status === 404) return null;
  if (res.status !== 200) throw refusal(res.status, res.body, sub.notificationUrl);
  const renewed = {
    ...sub,
    expiresAt: Date.parse(res.body.expirationDateTime) || now + lifetimeMs,
    renewedAt: now,
  };
  await ctx.store.collectorState.write({ subscription: renewed, lastProblem: null }, now);
  ctx.logger.info({ subscriptionId: sub.id, expiresAt: iso(renewed.expiresAt) }, 'renewed the subscription');
  return renewed;
}

/**
 * Makes sure a live subscription points at the notification URL: checks the stored one still exists (outages
 * remove subscriptions silently), renews it when due, recreates it when gone. A recreation queues a
 * reconciliation of the gap, since notifications of that time were lost.
 */
export async function ensureSubscription(
  ctx: CollectorContext,
  reason: SubscriptionReason,
): Promise<SubscriptionState | null> {
  const notificationUrl = ctx.settings.notificationUrl;
  if (!notificationUrl) return null;
  const { store } = ctx;
  const state = await store.collectorState.read();
  const sub = state.subscription ?? null;
  const now = ctx.clock.now();
  if (sub && sub.notificationUrl === notificationUrl && reason !== 'subscriptionRemoved') {
    // Notifications arriving lately prove the subscription exists: the routine check costs no request then.
    const delivering =
      reason === 'check' &&
      sub.expiresAt - now > ctx.settings.renewWhenRemainingMs &&
      (state.lastNotificationAt ?? 0) > now - ctx.settings.subscriptionCheckMs;
    if (delivering) return sub;
    const res = await ctx.client.request<Subscription>(
      'subscription',
      `/subscriptions/${encodeURIComponent(sub.id)}`,
    );
    if (res.status === 200 && sub.expiresAt > now) {
      const live = { ...sub, expiresAt: Date.parse(res.body.expirationDateTime) || sub.expiresAt };
      const due =
        live.expiresAt - now <= ctx.settings.renewWhenRemainingMs || reason === 'reauthorizationRequired';
      if (!due) return live;
      const renewed = await renew(ctx, live);
      if (renewed) return renewed;
    } else if (res.status !== 404 && res.status !== 200) throw refusal(res.status, res.body, notificationUrl);
    ctx.logger.warn({ subscriptionId: sub.id }, 'the subscription is gone; creating a new one');
    // Until a new one exists, the state says this one is gone (status and the subscription-missing alert read it).
    if (!sub.removedAt) await store.collectorState.write({ subscription: { ...sub, removedAt: now } }, now);
  } else if (sub && sub.notificationUrl !== notificationUrl) {
    // The URL changed: the old subscription would keep posting to the old address.
    await ctx.client.request('subscription', `/subscriptions/${encodeURIComponent(sub.id)}`, {
      method: 'DELETE',
    });
  }
  const created = await create(ctx, notificationUrl, sub);
  if (sub) {
    const from = Math.min(state.lastNotificationAt ?? sub.createdAt, now) - ctx.settings.reconcileLookbackMs;
    await store.workQueue.enqueue(
      {
        kind: jobKinds.reconcile,
        key: 'missed',
        dueAt: now,
        payload: JSON.stringify({ from, to: now }),
        due: 'earliest',
      },
      now,
    );
    ctx.nudge();
  }
  return created;
}

/** When the subscription should next be looked at: the renewal point, or the routine existence check. */
export function nextSubscriptionCheck(ctx: CollectorContext, sub: SubscriptionState | null): number {
  const now = ctx.clock.now();
  const check = now + ctx.settings.subscriptionCheckMs;
  // Never "now" again: a check that changed nothing must not spin (it renews at the renewal point itself).
  return sub
    ? Math.max(now + 60_000, Math.min(check, sub.expiresAt - ctx.settings.renewWhenRemainingMs))
    : check;
}

export async function runSubscriptionJob(ctx: CollectorContext, job: ClaimedJob): Promise<void> {
  const reason = (job.payload as SubscriptionReason | null) ?? 'check';
  const { store } = ctx;
  try {
    const sub = await ensureSubscription(ctx, reason === 'start' ? 'check' : reason);
    await store.workQueue.finish(job, nextSubscriptionCheck(ctx, sub), ctx.clock.now());
    if (job.payload) await store.workQueue.clearPayload(job.id);
  } catch (err) {
    const now = ctx.clock.now();
    const e = err as CalltroveError;
    ctx.logger.error({ problem: e.message, hint: e.hint }, 'cannot maintain the subscription');
    await store.collectorState.write(
      { lastProblem: { at: now, message: `${e.message}. ${e.hint ?? ''}`.trim() } },
      now,
    );
    await store.workQueue.fail(
      job,
      now + Math.min(30 * 60_000, 60_000 * 2 ** Math.max(0, job.attempts - 1)),
      e.message,
      now,
    );
  }
}
