// Is data arriving? The facts behind `calltrove status`, /api/v1/health and the status gauges, and what is wrong.
import type { CollectorState } from '../store/collector-state.ts';
import type { Store } from '../store/store.ts';
import type { QueueStats } from '../store/work-queue.ts';

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
}

export interface CollectorStatus {
  now: number;
  health: 'ok' | 'warning' | 'failing';
  collector: { running: boolean; heartbeatAt: number | null; startedAt: number | null; mode: string | null };
  subscription: {
    notificationUrl: string | null;
    id: string | null;
    active: boolean;
    expiresAt: number | null;
    lastNotificationAt: number | null;
    lastValidationAt: number | null;
  };
  lastRecordStored: { at: number; id: string; version: number } | null;
  lastReconcile: CollectorState['lastReconcile'] | null;
  queue: QueueStats;
  inbox: { depth: number; oldestReceivedAt: number | null };
  pstn: { pstnSyncedThrough: string | null; directRoutingSyncedThrough: string | null };
  problems: Problem[];
}

export interface StatusOptions {
  now: number;
  notificationUrl?: string;
  reconcileEveryMs?: number;
  /** Quiet this long with an active subscription is worth a warning. */
  quietWarnMs?: number;
  /** A heartbeat older than this means no collector runs. */
  heartbeatStaleMs?: number;
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "6 h", "25 min", "40 s": how long ago, as a person would say it. */
export function spoken(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

export async function collectorStatus(store: Store, options: StatusOptions): Promise<CollectorStatus> {
  const { now } = options;
  const quietWarn = options.quietWarnMs ?? 6 * 3600_000;
  const stale = options.heartbeatStaleMs ?? 5 * 60_000;
  const [state, queue, inbox] = await Promise.all([
    store.collectorState.read(),
    store.workQueue.stats(now),
    store.inbox.stats(),
  ]);
  const sub = state.subscription ?? null;
  const notificationUrl = options.notificationUrl ?? sub?.notificationUrl ?? null;
  const heartbeatAt = state.heartbeatAt ?? null;
  // A --once run or a backfill leaves a fresh heartbeat behind, but nothing keeps running after it.
  const stopped = heartbeatAt !== null && (state.stoppedAt ?? 0) >= heartbeatAt;
  const running = heartbeatAt !== null && now - heartbeatAt <= stale && state.mode !== 'once' && !stopped;
  const active = !!sub && sub.expiresAt > now && !sub.removedAt;
  const lastNotificationAt = state.lastNotificationAt ?? null;
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ severity: 'error', message });
  const warn = (message: string) => problems.push({ severity: 'warning', message });
  const service = state.mode !== 'once';

  if (heartbeatAt === null)
    (notificationUrl ? error : warn)(
      'no collector has run against this database yet: start `calltrove collect`',
    );
  else if (!running && service && stopped)
    (notificationUrl ? error : warn)(
      `the collector is not running: it was stopped at ${iso(heartbeatAt)}; start \`calltrove collect\``,
    );
  else if (!running && service)
    (notificationUrl ? error : warn)(
      `the collector is not running: last seen ${spoken(now - heartbeatAt)} ago (${iso(heartbeatAt)}); start \`calltrove collect\` or check its service logs`,
    );

  const quietFor = now - (lastNotificationAt ?? sub?.createdAt ?? now);
  const quiet =
    lastNotificationAt === null
      ? sub && quietFor >= quietWarn
        ? `no notification has arrived in the ${spoken(quietFor)} since the subscription was created`
        : null
      : quietFor >= quietWarn
        ? `no notification for ${spoken(quietFor)}`
        : null;

  if (!notificationUrl) {
    const every = options.reconcileEveryMs ? ` every ${spoken(options.reconcileEveryMs)}` : '';
    warn(
      `no notification URL is configured (CALLTROVE_NOTIFICATION_URL): new records arrive only through reconciliation${every}`,
    );
  } else if (!sub) {
    const why = state.lastProblem ? `; last problem: ${state.lastProblem.message}` : '';
    error(`no change-notification subscription exists (\`calltrove collect\` creates one at start)${why}`);
  } else if (!active) {
    const gone = sub.removedAt
      ? `subscription was found removed at ${iso(sub.removedAt)} and could not be replaced yet`
      : `subscription expired at ${iso(sub.expiresAt)}`;
    error(`${quiet ? `${quiet} and the` : 'the'} ${gone}`);
  } else {
    if (quiet)
      warn(
        `${quiet} although the subscription is active: check that ${notificationUrl} still reaches this collector (reverse proxy or tunnel)`,
      );
    if (!running && sub.expiresAt - now < 24 * 3600_000)
      warn(`the subscription expires at ${iso(sub.expiresAt)} and no collector is running to renew it`);
  }

  if (inbox.oldestReceivedAt !== null && now - inbox.oldestReceivedAt > 2 * 60_000)
    error(
      `${inbox.depth} notifications have waited since ${iso(inbox.oldestReceivedAt)} to be planned: is the collector running?`,
    );
  if (queue.oldestDueAt !== null && now - queue.oldestDueAt > 15 * 60_000)
    warn(
      `work is falling behind: the oldest pending job has been due for ${spoken(now - queue.oldestDueAt)} (${queue.due} jobs due)`,
    );
  if (state.lastProblem && now - state.lastProblem.at < 24 * 3600_000)
    warn(`at ${iso(state.lastProblem.at)}: ${state.lastProblem.message}`);
  if (!state.lastRecordStored && state.startedAt && now - state.startedAt > 3600_000)
    warn(`no call record has been stored since the collector started ${spoken(now - state.startedAt)} ago`);

  return {
    now,
    health: problems.some((p) => p.severity === 'error') ? 'failing' : problems.length ? 'warning' : 'ok',
    collector: { running, heartbeatAt, startedAt: state.startedAt ?? null, mode: state.mode ?? null },
    subscription: {
      notificationUrl,
      id: sub?.id ?? null,
      active,
      expiresAt: sub?.expiresAt ?? null,
      lastNotificationAt,
      lastValidationAt: state.lastValidationAt ?? null,
    },
    lastRecordStored: state.lastRecordStored ?? null,
    lastReconcile: state.lastReconcile ?? null,
    queue,
    inbox,
    pstn: {
      pstnSyncedThrough: state.pstnSyncedThrough ?? null,
      directRoutingSyncedThrough: state.directRoutingSyncedThrough ?? null,
    },
    problems,
  };
}

/** The status as text for a terminal: facts first, then what is wrong in plain words. */
export function formatStatus(s: CollectorStatus): string {
  const at = (t: number | null | undefined) => (t == null ? 'never' : `${iso(t)} (${spoken(s.now - t)} ago)`);
  const lines = [
    `health: ${s.health}`,
    s.collector.mode === 'once'
      ? `collector: not running; the last run was a --once or backfill run, seen ${at(s.collector.heartbeatAt)}`
      : `collector: ${s.collector.running ? 'running' : 'not running'}, last seen ${at(s.collector.heartbeatAt)}`,
    `subscription: ${
      s.subscription.id
        ? `${s.subscription.active ? 'active' : 'EXPIRED'}, expires at ${iso(s.subscription.expiresAt ?? 0)}`
        : 'none'
    }`,
    `notification URL: ${s.subscription.notificationUrl ?? 'not configured'}`,
    `last notification: ${at(s.subscription.lastNotificationAt)}`,
    `last record stored: ${
      s.lastRecordStored
        ? `${at(s.lastRecordStored.at)}, ${s.lastRecordStored.id} v${s.lastRecordStored.version}`
        : 'never'
    }`,
    `last reconciliation: ${at(s.lastReconcile?.at)}`,
    `queue: ${s.queue.depth} jobs (${s.queue.due} due, ${s.queue.leased} in progress), oldest pending: ${
      s.queue.oldestDueAt == null ? 'none' : at(s.queue.oldestDueAt)
    }`,
    `inbox: ${s.inbox.depth} notifications waiting`,
  ];
  if (s.problems.length) {
    lines.push('', 'problems:');
    for (const p of s.problems) lines.push(`  ${p.severity === 'error' ? 'ERROR' : 'warning'}: ${p.message}`);
  } else lines.push('', 'no problems found');
  return `${lines.join('\n')}\n`;
}
