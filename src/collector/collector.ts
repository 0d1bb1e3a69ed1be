// Composes the collector: token, Graph client, webhook, planner, job loop, subscription, reconciliation, PSTN pulls.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Clock, SystemClock } from '../clock/clock.ts';
import { type Config, graphEndpoints } from '../config/config.ts';
import { type Logger, silentLogger } from '../config/logger.ts';
import { CalltroveError } from '../errors.ts';
import { callRecordRetentionDays } from '../graph/odata.ts';
import { configuredHosts, createHostPolicy } from '../http/host-guard.ts';
import { createPrivacyTransform, createPstnRowTransform } from '../privacy/ingest-transform.ts';
import type { Store } from '../store/store.ts';
import type { CollectorContext, CollectorSettings, RecordSink } from './context.ts';
import { ingestSink, onceSettings, settingsFromConfig } from './context.ts';
import { runFetchJob } from './fetch-job.ts';
import { type ParticipantsMode, RecordFetcher } from './fetch-record.ts';
import { GraphClient } from './graph-client.ts';
import { createHttpFetch, type FetchLike } from './http-fetch.ts';
import { JobRunner } from './job-runner.ts';
import { createLeadership, type Leadership } from './leader.ts';
import { type CollectorMetrics, createCollectorMetrics } from './metrics.ts';
import { jobKinds } from './planner.ts';
import { runPstnJob } from './pstn.ts';
import { runReconcileJob } from './reconcile.ts';
import { type CollectorStatus, collectorStatus } from './status.ts';
import { ensureSubscription, nextSubscriptionCheck, runSubscriptionJob } from './subscriptions.ts';
import { createTokenProvider, readCertificateFile, type TokenProvider } from './token-provider.ts';
import { createTroubleMarks, isGraphAnswer, isGraphTrouble } from './trouble.ts';
import { createWebhookApp, notificationPathsOf, webhookServerOptions } from './webhook.ts';

export interface StartCollectorOptions {
  config: Config;
  store: Store;
  clock?: Clock;
  /** Every HTTP request to the authority and Graph (default: undici, trusting config.caFile). */
  fetch?: FetchLike;
  logger?: Logger;
  settings?: Partial<CollectorSettings>;
  /** 'service' subscribes and keeps running; 'once' only works the queue (backfill, --once). */
  mode?: 'service' | 'once';
  /** host:port to serve the webhook, /metrics and /api/v1/health on; port 0 picks a free port. */
  listen?: string;
  sink?: RecordSink;
  tokens?: TokenProvider;
  participantsMode?: ParticipantsMode;
  pollMs?: number;
  /** Per-request timeout in the clock's time (default 30 s); a sped-up clock needs it scaled to stay real. */
  requestTimeoutMs?: number;
  /**
   * The process's stop (src/cli/lifecycle.ts): when it aborts, every wait of the collector ends (sleeps, Graph
   * requests, Retry-After pauses, the job loop) and stop() returns within seconds, releasing unfinished jobs.
   */
  signal?: AbortSignal;
  /** Called as soon as the webhook can answer: before the subscription request makes Graph validate it. */
  onWebhook?: (webhook: { fetch(request: Request): Promise<Response> }) => void;
}

export interface RunningCollector {
  readonly ctx: CollectorContext;
  readonly client: GraphClient;
  readonly metrics: CollectorMetrics;
  readonly tokens: TokenProvider;
  readonly webhook: { fetch(request: Request): Promise<Response> };
  /** Where the webhook listens (when `listen` was given). */
  readonly address?: { host: string; port: number };
  status(): Promise<CollectorStatus>;
  /** Whether this process leads (owns the subscription and the periodic upkeep); always so for a --once run. */
  isLeader(): boolean;
  /** Resolves once nothing is due now (inbox planned, due jobs done). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** The settings `collect` cannot run without, each named as the admin would set it. */
export function requireCredentials(config: Config): { tenantId: string; clientId: string } {
  const missing: string[] = [];
  if (!config.tenantId) missing.push('CALLTROVE_TENANT_ID (the directory/tenant id)');
  if (!config.clientId) missing.push('CALLTROVE_CLIENT_ID (the application id of the app registration)');
  if (!config.clientSecret && !config.clientCertificate)
    missing.push('CALLTROVE_CLIENT_SECRET or CALLTROVE_CLIENT_CERTIFICATE (the app credential)');
  if (missing.length)
    throw new CalltroveError('config', `the collector is missing settings: ${missing.join('; ')}`, {
      hint: 'Set them in the environment or the config file (docs/real-tenant.md shows how to register the app).',
    });
  return { tenantId: config.tenantId!, clientId: config.clientId! };
}

function listenOn(app: { fetch: (r: Request) => Response | Promise<Response> }, listen: string) {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i);
  const port = Number(listen.slice(i + 1));
  return new Promise<{ server: Server; host: string; port: number }>((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      hostname: host,
      port,
      serverOptions: webhookServerOptions,
    }) as Server;
    server.once('error', (err) =>
      reject(
        new CalltroveError('config', `cannot listen on ${listen}: ${(err as Error).message}`, {
          hint: 'Choose a free host:port with --listen (or CALLTROVE_LISTEN).',
        }),
      ),
    );
    server.once('listening', () => resolve({ server, host, port: (server.address() as AddressInfo).port }));
  });
}

export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const { config, store } = options;
  const clock = options.clock ?? new SystemClock();
  const logger = options.logger ?? silentLogger;
  const mode = options.mode ?? 'service';
  const { tenantId, clientId } = requireCredentials(config);
  const settings = settingsFromConfig(config, {
    tenantId,
    ...(mode === 'once' ? onceSettings : {}),
    ...options.settings,
  });
  const { graphUrl, authorityUrl } = graphEndpoints(config);
  const fetch = options.fetch ?? createHttpFetch({ caFile: config.caFile });
  const trouble = createTroubleMarks(store.collectorState, clock, logger);
  // One stop for everything below: the caller's signal, or stop() itself.
  const stopping = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
  const issuer =
    options.tokens ??
    createTokenProvider({
      tenantId,
      clientId,
      clientSecret: config.clientSecret,
      certificatePem: config.clientSecret ? undefined : readCertificateFile(config.clientCertificate!),
      authorityUrl,
      graphUrl,
      fetch,
      clock,
      logger,
    });
  // Refused tokens are trouble the auth-failing alert watches; the message (Entra's error) holds no secret.
  const tokens: TokenProvider = {
    get acquired() {
      return issuer.acquired;
    },
    async getToken(o) {
      try {
        const token = await issuer.getToken(o);
        trouble.ok('authTrouble');
        return token;
      } catch (err) {
        trouble.failing('authTrouble', (err as Error).message);
        throw err;
      }
    },
  };
  const client = new GraphClient({
    graphUrl,
    fetch,
    tokens,
    clock,
    logger,
    signal,
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
  });
  const metrics = createCollectorMetrics();
  client.onRequest((kind, status) => {
    metrics.graphRequests.inc({ kind, status });
    if (status === '429') metrics.throttled.inc();
    if (isGraphTrouble(status)) trouble.failing('graphTrouble', `Graph answered ${status} (${kind})`);
    else if (isGraphAnswer(status)) trouble.ok('graphTrouble');
  });

  let runner: JobRunner | undefined;
  const ctx: CollectorContext = {
    store,
    client,
    fetcher: new RecordFetcher(client, options.participantsMode),
    sink:
      options.sink ??
      ingestSink(
        store,
        tenantId,
        createPrivacyTransform({ config, clock, tenantId }),
        createPstnRowTransform({ config, clock, tenantId }),
        logger,
      ),
    clock,
    logger,
    settings,
    metrics,
    owner: `collector-${randomUUID().slice(0, 8)}`,
    signal,
    nudge: () => runner?.nudge(),
  };
  const status = () =>
    collectorStatus(store, {
      now: clock.now(),
      notificationUrl: settings.notificationUrl,
      reconcileEveryMs: settings.reconcileEveryMs,
    });
  metrics.setStatusSource(status);
  const { app } = createWebhookApp({
    store,
    clock,
    logger,
    metrics,
    tenantId,
    status,
    onAccepted: () => runner?.nudge(),
    notificationPaths: notificationPathsOf(settings.notificationUrl),
    hosts: createHostPolicy({
      bindHost: options.listen?.slice(0, options.listen.lastIndexOf(':')),
      allowedHosts: configuredHosts(config),
    }),
  });

  const webhook = { fetch: async (request: Request) => app.fetch(request) };
  options.onWebhook?.(webhook);

  // Bad credentials stop the start with a message saying what to fix, before anything else happens.
  await tokens.getToken();

  const now = clock.now();
  await store.collectorState.write({ startedAt: now, heartbeatAt: now, mode }, now);

  let listening: { server: Server; host: string; port: number } | undefined;
  if (options.listen && mode === 'service') listening = await listenOn(app, options.listen);

  // Several collectors on one PostgreSQL database: one leader owns the subscription (SQLite: always this one).
  // Named locks belong to the store's schema (Db.locks), so stores in other schemas of the same database
  // (another installation, parallel test suites) elect leaders of their own.
  const leadership: Leadership | undefined =
    mode === 'service'
      ? createLeadership({ locks: store.collectorLocks, clock, logger, name: 'collector-leader' })
      : undefined;
  const maintainSubscription = async () => {
    const sub = await ensureSubscription(ctx, 'start');
    if (settings.notificationUrl)
      await store.workQueue.enqueue(
        { kind: jobKinds.subscription, key: 'maintain', dueAt: nextSubscriptionCheck(ctx, sub) },
        clock.now(),
      );
  };

  runner = new JobRunner(ctx, {
    // A --once run has no webhook: subscription upkeep and the daily PSTN pull are the service's work.
    handlers:
      mode === 'service'
        ? {
            [jobKinds.fetch]: runFetchJob,
            [jobKinds.reconcile]: runReconcileJob,
            [jobKinds.subscription]: runSubscriptionJob,
            [jobKinds.pstn]: runPstnJob,
          }
        : { [jobKinds.fetch]: runFetchJob, [jobKinds.reconcile]: runReconcileJob },
    claimable: (kind) => kind !== jobKinds.subscription || leadership?.isLeader() === true,
    concurrency: settings.workers,
    pollMs: options.pollMs ?? 10_000,
  });

  const heartbeat = { timer: undefined as ReturnType<Clock['setTimeout']> | undefined, stopped: false };
  const beat = () => {
    if (heartbeat.stopped) return;
    void store.collectorState.write({ heartbeatAt: clock.now() }, clock.now()).catch(() => undefined);
    heartbeat.timer = clock.setTimeout(beat, 60_000);
  };

  // Leases of a killed collector are taken back at once, not when they run out: on SQLite (one process per file)
  // all leases at start; on PostgreSQL this process marks itself alive by its owner name, and any process frees
  // the leases of owners that are not (at start and every few seconds, below).
  let ownerLock: Awaited<ReturnType<Store['collectorLocks']['holdOwner']>> | undefined;
  try {
    ownerLock = await store.collectorLocks.holdOwner(ctx.owner);
    await store.collectorLocks.releaseDeadLeases(ctx.owner);
    if (mode === 'service') {
      // The webhook answers before Graph is asked to validate it (the subscription request triggers that).
      // The leader at start makes sure of the subscription now, so a refusal stops the start with its message;
      // a follower leaves it to the leader and takes it over if that one dies.
      await leadership!.start();
      if (leadership!.isLeader()) await maintainSubscription();
      leadership!.onChange(async (leader) => {
        if (!leader) return;
        await maintainSubscription();
        runner?.nudge();
      });
      const t = clock.now();
      if (settings.strategy === 'planned')
        await store.workQueue.enqueue(
          { kind: jobKinds.reconcile, key: 'recent', dueAt: t + settings.reconcileEveryMs, due: 'earliest' },
          t,
        );
      if (settings.pstn)
        await store.workQueue.enqueue({ kind: jobKinds.pstn, key: 'daily', dueAt: t, due: 'earliest' }, t);
      // The very first start against a database: what Graph still keeps (30 days) is listed once, as a backfill
      // would, so an admin who skipped `calltrove backfill` still gets the past.
      const before = await store.collectorState.read();
      if (!before.lastBackfill && !before.lastReconcile)
        await store.workQueue.enqueue(
          {
            kind: jobKinds.reconcile,
            key: 'initial',
            dueAt: t,
            payload: JSON.stringify({ from: t - callRecordRetentionDays * 86_400_000, to: t }),
            due: 'earliest',
          },
          t,
        );
    }
  } catch (err) {
    stopping.abort(err);
    client.close();
    await leadership?.stop();
    await ownerLock?.release();
    await new Promise<void>((r) => (listening ? listening.server.close(() => r()) : r()));
    throw err;
  }
  const reaper = { timer: undefined as ReturnType<Clock['setTimeout']> | undefined };
  const reap = () => {
    if (heartbeat.stopped) return;
    void store.collectorLocks
      .releaseDeadLeases(ctx.owner)
      .then((n) => {
        if (n === 0) return;
        logger.info({ jobs: n }, 'took over the jobs of a collector that stopped');
        runner?.nudge();
      })
      .catch(() => undefined)
      .finally(() => {
        if (!heartbeat.stopped) reaper.timer = clock.setTimeout(reap, 10_000);
      });
  };
  runner.start();
  heartbeat.timer = clock.setTimeout(beat, 60_000);
  if (store.collectorLocks.shared) reaper.timer = clock.setTimeout(reap, 10_000);
  logger.info(
    {
      mode,
      listen: listening ? `${listening.host}:${listening.port}` : undefined,
      strategy: settings.strategy,
    },
    'collector started',
  );

  return {
    ctx,
    client,
    metrics,
    tokens,
    webhook,
    address: listening ? { host: listening.host, port: listening.port } : undefined,
    status,
    isLeader: () => leadership?.isLeader() ?? true,
    async drain() {
      await runner!.whenIdle();
      // Idle while a dead collector still holds jobs (PostgreSQL): take them over now rather than leave them.
      while (store.collectorLocks.shared && (await store.collectorLocks.releaseDeadLeases(ctx.owner)) > 0) {
        runner!.nudge();
        await runner!.whenIdle();
      }
    },
    async stop() {
      heartbeat.stopped = true;
      clock.clearTimeout(heartbeat.timer);
      clock.clearTimeout(reaper.timer);
      if (!stopping.signal.aborted) stopping.abort(new Error('the collector stopped'));
      await runner!.stop();
      client.close();
      // The last sign of life: `status` then says when this run (a --once run, or the service) ended.
      const end = clock.now();
      await store.collectorState.write({ heartbeatAt: end, stoppedAt: end }, end).catch(() => undefined);
      await leadership?.stop();
      await ownerLock?.release();
      await trouble.flush();
      if (listening) {
        listening.server.closeAllConnections?.();
        await new Promise<void>((r) => listening!.server.close(() => r()));
      }
      logger.info('collector stopped');
    },
  };
}
