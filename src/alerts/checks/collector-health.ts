// The collector-health rules: notifications gone quiet while calls happen, no collector, the subscription, tokens,
// work falling behind, Graph answering only 429/5xx, the PSTN pull. Facts from the collector's state in the store.
import { collectorStatus, spoken } from '../../collector/status.ts';
import type { Trouble } from '../../store/collector-state.ts';
import { type Check, type CheckContext, dashboardLink, type Observation, shown } from '../observation.ts';
import type { Rule } from '../rules.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Facts = Awaited<ReturnType<typeof collectorStatus>> & {
  trouble: { graph: Trouble | null; auth: Trouble | null; pstn: Trouble | null };
  subscriptionCreatedAt: number | null;
  subscriptionRemovedAt: number | null;
  stoppedAt: number | null;
};

async function factsOf(ctx: CheckContext): Promise<Facts> {
  const [status, state] = await Promise.all([
    collectorStatus(ctx.store, { now: ctx.now, notificationUrl: ctx.config.notificationUrl }),
    ctx.store.collectorState.read(),
  ]);
  return {
    ...status,
    trouble: {
      graph: state.graphTrouble ?? null,
      auth: state.authTrouble ?? null,
      pstn: state.pstnTrouble ?? null,
    },
    subscriptionCreatedAt: state.subscription?.createdAt ?? null,
    subscriptionRemovedAt: state.subscription?.removedAt ?? null,
    stoppedAt: state.stoppedAt ?? null,
  };
}

/** Facts are read once per evaluation, however many health rules ask. */
const cache = new WeakMap<CheckContext, Promise<Facts>>();
function facts(ctx: CheckContext): Promise<Facts> {
  let f = cache.get(ctx);
  if (!f) {
    f = factsOf(ctx);
    cache.set(ctx, f);
  }
  return f;
}

function one(
  rule: Rule,
  ctx: CheckContext,
  status: Observation['status'],
  value: number | null,
  title: string,
  explanation: string,
  figures: Observation['figures'] = [],
): Observation[] {
  return [
    {
      scopeKey: 'collector',
      scopeLabel: 'the collector',
      status,
      value: value === null ? null : Math.round(value * 100) / 100,
      threshold: rule.threshold,
      unit: rule.unit,
      title,
      explanation,
      url: dashboardLink(ctx, 'alerts'),
      figures,
    },
  ];
}

/** Duration in the rule's unit. */
const inUnit = (rule: Rule, ms: number) => ms / (rule.unit === 'h' ? HOUR : MIN);

const notifications: Check = async (rule, ctx) => {
  const f = await facts(ctx);
  if (!f.subscription.notificationUrl)
    return one(
      rule,
      ctx,
      'clear',
      null,
      'No notification URL configured',
      'Reconciliation only: nothing to watch.',
    );
  // Quiet since the last notification, or since the subscription was made when none ever came.
  const since = f.subscription.lastNotificationAt;
  const from = since ?? f.subscriptionCreatedAt;
  if (from === null)
    return one(rule, ctx, 'unknown', null, 'No subscription yet', 'The collector has not subscribed yet.');
  const quiet = ctx.now - from;
  const hours = inUnit(rule, quiet);
  if (hours < rule.threshold)
    return one(
      rule,
      ctx,
      'clear',
      hours,
      'Change notifications arrive',
      `The last one came ${spoken(quiet)} ago.`,
    );
  const calls = await ctx.store.recordPlans.countUnannouncedSince(from);
  const last =
    since === null ? 'No change notification has arrived yet' : `No change notification since ${iso(from)}`;
  const title = `${last.replace(/ yet$/, '')} (${spoken(quiet)}) while calls happen`;
  const explanation = `${last} (${spoken(quiet)}), yet reconciliation found ${calls} call(s) that ended since then and that no notification announced: Graph is not delivering to ${f.subscription.notificationUrl}. Check that the URL still reaches the collector (reverse proxy, tunnel, certificate) and \`calltrove status\`.`;
  const figures = [
    { name: 'Quiet for', value: spoken(quiet) },
    { name: 'Calls no notification announced', value: String(calls) },
    { name: 'Threshold', value: `${shown(rule.threshold)} ${rule.unit}, at least ${rule.minVolume} calls` },
  ];
  return one(rule, ctx, calls >= rule.minVolume ? 'firing' : 'clear', hours, title, explanation, figures);
};

const collectorDown: Check = async (rule, ctx) => {
  const f = await facts(ctx);
  const at = f.collector.heartbeatAt;
  if (at === null || f.collector.mode !== 'service')
    return one(
      rule,
      ctx,
      'clear',
      null,
      'No long-running collector expected',
      'No `calltrove collect` service has run against this database (or only --once/backfill runs).',
    );
  const age = ctx.now - at;
  const minutes = inUnit(rule, age);
  if (minutes < rule.threshold)
    return one(rule, ctx, 'clear', minutes, 'The collector runs', `Last seen ${spoken(age)} ago.`);
  const stopped = f.stoppedAt !== null && f.stoppedAt >= at;
  return one(
    rule,
    ctx,
    'firing',
    minutes,
    `No collector has run for ${spoken(age)}`,
    `The last collector was seen at ${iso(at)} (${spoken(age)} ago)${stopped ? ', when it was stopped' : ' and it did not stop cleanly'}: nothing collects records, renews the subscription or reconciles. Start \`calltrove collect\` or check its service logs.`,
    [{ name: 'Last seen', value: `${iso(at)} (${spoken(age)} ago)` }],
  );
};

const subscription: Check = async (rule, ctx) => {
  const f = await facts(ctx);
  const s = f.subscription;
  if (!s.notificationUrl)
    return one(rule, ctx, 'clear', null, 'No notification URL configured', 'Nothing to watch.');
  if (s.id && s.active)
    return one(
      rule,
      ctx,
      'clear',
      null,
      'The subscription is active',
      `It expires at ${iso(s.expiresAt ?? 0)}.`,
    );
  const what = f.subscriptionRemovedAt
    ? `The change-notification subscription was found removed at ${iso(f.subscriptionRemovedAt)} and has not been replaced`
    : s.id
      ? `The change-notification subscription expired at ${iso(s.expiresAt ?? 0)}`
      : 'No change-notification subscription exists';
  const gone = f.subscriptionRemovedAt ?? (s.id ? s.expiresAt : null);
  const problem = f.problems.find((p) => p.message.includes('subscription'))?.message;
  return one(
    rule,
    ctx,
    'firing',
    gone !== null ? inUnit(rule, Math.max(0, ctx.now - gone)) : null,
    f.subscriptionRemovedAt
      ? 'Change-notification subscription removed'
      : s.id
        ? 'Change-notification subscription expired'
        : 'Change-notification subscription missing',
    `${what}: new records arrive only through reconciliation. A running \`calltrove collect\` recreates it; if it cannot, its log and \`calltrove status\` say why${problem ? ` (${problem})` : ''}.`,
    [{ name: 'Notification URL', value: s.notificationUrl }],
  );
};

const expiring: Check = async (rule, ctx) => {
  const s = (await facts(ctx)).subscription;
  if (!s.id || !s.active || s.expiresAt === null)
    return one(
      rule,
      ctx,
      'clear',
      null,
      'No active subscription to renew',
      'See the subscription-missing rule.',
    );
  const left = inUnit(rule, s.expiresAt - ctx.now);
  if (left >= rule.threshold)
    return one(
      rule,
      ctx,
      'clear',
      left,
      'The subscription is renewed in time',
      `It expires at ${iso(s.expiresAt)}.`,
    );
  return one(
    rule,
    ctx,
    'firing',
    left,
    `The subscription expires in ${spoken(s.expiresAt - ctx.now)} without renewal`,
    `It expires at ${iso(s.expiresAt)}; the collector renews it long before that, so renewals are failing or no collector runs.`,
    [{ name: 'Expires at', value: iso(s.expiresAt) }],
  );
};

/** A Trouble (since when, what) against the rule's threshold in minutes. */
function troubleCheck(pick: (f: Facts) => Trouble | null, label: string, advice: string): Check {
  return async (rule, ctx) => {
    const t = pick(await facts(ctx));
    if (!t) return one(rule, ctx, 'clear', null, `${label}: no trouble`, 'The last attempt worked.');
    const age = ctx.now - t.since;
    const minutes = inUnit(rule, age);
    return one(
      rule,
      ctx,
      minutes >= rule.threshold ? 'firing' : 'unknown',
      minutes,
      `${label} for ${spoken(age)}`,
      `Since ${iso(t.since)}: ${t.message}. ${advice}`,
      [{ name: 'Since', value: iso(t.since) }],
    );
  };
}

const queue: Check = async (rule, ctx) => {
  const f = await facts(ctx);
  const jobs = f.queue.oldestDueAt === null ? 0 : ctx.now - f.queue.oldestDueAt;
  const inbox = f.inbox.oldestReceivedAt === null ? 0 : ctx.now - f.inbox.oldestReceivedAt;
  // Notifications are planned within seconds; a third of the job threshold is already far behind.
  const behind = Math.max(jobs, inbox * 3);
  const minutes = inUnit(rule, behind);
  if (minutes < rule.threshold)
    return one(rule, ctx, 'clear', minutes, 'Work keeps up', `${f.queue.due} job(s) due.`);
  return one(
    rule,
    ctx,
    'firing',
    minutes,
    `Collector work is falling behind (${spoken(Math.max(jobs, inbox))})`,
    `The oldest due job has waited ${spoken(jobs)} (${f.queue.due} due, ${f.queue.leased} in progress); ${f.inbox.depth} notification(s) wait to be planned${inbox ? `, the oldest for ${spoken(inbox)}` : ''}. Is the collector running, throttled, or stuck on the database?`,
    [
      { name: 'Jobs due', value: String(f.queue.due) },
      { name: 'Oldest due job waiting', value: spoken(jobs) },
      { name: 'Notifications waiting', value: String(f.inbox.depth) },
    ],
  );
};

export const healthChecks: Record<string, Check> = {
  notifications,
  'collector-down': collectorDown,
  subscription,
  'subscription-expiring': expiring,
  auth: troubleCheck(
    (f) => f.trouble.auth,
    'Authentication to Microsoft Entra ID failing',
    'Check the client secret or certificate (expired?) and the app registration; `calltrove collect` prints what Entra ID said.',
  ),
  queue,
  'graph-errors': troubleCheck(
    (f) => f.trouble.graph,
    'Graph answering only 429/5xx',
    'The collector keeps retrying with backoff; records fall behind until Graph answers again.',
  ),
  pstn: troubleCheck(
    (f) => f.trouble.pstn,
    'PSTN and Direct Routing pull failing',
    'Grant CallRecord-PstnCalls.Read.All with admin consent if Graph refused it (HTTP 403).',
  ),
};
