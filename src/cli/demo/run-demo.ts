// The one-command demo: a simulated Teams tenant (the Graph twin), the real collector against it, and the dashboard.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Clock, ScaledClock, SystemClock } from '../../clock/clock.ts';
import { type RunningCollector, startCollector } from '../../collector/collector.ts';
import { backfill } from '../../collector/reconcile.ts';
import { type Config, type Env, loadConfig } from '../../config/config.ts';
import { shownDatabaseUrl } from '../../config/connection-string.ts';
import type { Logger } from '../../config/logger.ts';
import { CalltroveError } from '../../errors.ts';
import { createAuditSink } from '../../privacy/audit.ts';
import { startRetentionSchedule } from '../../privacy/retention.ts';
import { type RunningServer, startServer } from '../../server/start-server.ts';
import { importAccessPointFile, importEndpointFile } from '../../service/assets.ts';
import { importBuildingFile } from '../../service/buildings.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { createService } from '../../service/service.ts';
import type { Store } from '../../store/store.ts';
import { createTwin, type Twin, type TwinListener } from '../../twin/twin.ts';
import { openCommandStore } from '../open-store.ts';

export interface DemoOptions {
  env: Env;
  /** Where the demo keeps its database, the twin's certificate and the pseudonym key. */
  dataDir: string;
  /** A database URL to use instead of <dataDir>/demo.db. */
  databaseUrl?: string;
  seed: number;
  users: number;
  days: number;
  /** Simulated seconds per real second: calls keep arriving while the demo runs. */
  speed: number;
  port: number;
  host: string;
  logger: Logger;
  /** Build the dashboard when missing or stale (default true). */
  buildDashboard?: boolean;
  /** Told each step of the start (twin, database, collector, dashboard), so a slow start is never silent. */
  onStep?: (message: string) => void;
  /** Told how far the first backfill has got: records stored out of those listed. */
  onProgress?: (stored: number, listed: number) => void;
}

export interface RunningDemo {
  url: string;
  twin: Twin;
  twinListener: TwinListener;
  collector: RunningCollector;
  server: RunningServer;
  store: Store;
  config: Config;
  clock: Clock;
  /** Resolves once every record the first backfill listed is stored (or `timeoutMs` passed). */
  backfilled: Promise<{ stored: number; listed: number }>;
  stop(): Promise<void>;
}

/** A free TCP port on loopback: the webhook's address must be known before the subscription names it. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Fails with a config error when the dashboard's port is taken, before anything starts: a second demo (or a
 * `serve`) on the same port would otherwise build a twin and a collector only to fail at the last step.
 */
function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new CalltroveError(
              'config',
              `port ${port} on ${host} is ${err.code === 'EADDRINUSE' ? 'taken (another calltrove demo or serve?)' : 'not allowed for this user'}: stop what uses it or pass --port <another>`,
            )
          : err,
      ),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const step = options.onStep ?? (() => {});
  await ensurePortFree(options.host, options.port);
  mkdirSync(options.dataDir, { recursive: true });
  step(
    `starting the Graph twin (seed ${options.seed}, ${options.users} users, ${options.days} days of calls)`,
  );
  // One clock for both sides of the wire, so the twin's late uploads and the planner's windows agree.
  const clock = new ScaledClock(new SystemClock().now(), options.speed);
  const twin = createTwin({ seed: options.seed, users: options.users, days: options.days, clock });
  const caFile = join(options.dataDir, 'twin-ca.pem');
  const twinListener = await twin.listen({ host: '127.0.0.1', port: 0, certOut: caFile });
  const webhookPort = await freePort('127.0.0.1');
  const config = loadConfig({
    env: options.env,
    overrides: {
      databaseUrl: options.databaseUrl ?? join(options.dataDir, 'demo.db'),
      tenantId: twin.credentials.tenantId,
      clientId: twin.credentials.clientId,
      clientSecret: twin.credentials.clientSecret,
      graphUrl: twinListener.graphUrl,
      authorityUrl: twinListener.url,
      caFile,
      notificationUrl: `http://127.0.0.1:${webhookPort}/notifications`,
      listen: `127.0.0.1:${webhookPort}`,
      privacy: { keyFile: join(options.dataDir, 'pseudonym.key') },
    },
  });
  step(`opening the database ${shownDatabaseUrl(config.databaseUrl)}`);
  const store = await openCommandStore(config, 'write').catch(async (err: unknown) => {
    twin.stop();
    await twinListener.close();
    throw err;
  });
  const audit = createAuditSink({ store, config });
  // The twin's organization comes with a CQD building file; loading it is what an admin does first.
  step('loading the building, access-point and endpoint files');
  const service = createService({ store, config, clock, audit });
  await importBuildingFile(service, cliPrincipal(), twin.buildingsCsv());
  await importAccessPointFile(service, cliPrincipal(), twin.accessPointsCsv());
  await importEndpointFile(service, cliPrincipal(), twin.endpointsCsv());
  step('starting the collector');
  const collector = await startCollector({
    config,
    store,
    clock,
    logger: options.logger,
    listen: config.listen,
    // Timeouts guard against a hung network, which runs on real time however fast the simulation goes.
    requestTimeoutMs: 30_000 * Math.max(1, options.speed),
  });
  step('starting the dashboard');
  const server = await startServer({
    store,
    config,
    clock,
    logger: options.logger,
    host: options.host,
    port: options.port,
    buildDashboard: options.buildDashboard,
    audit,
  });
  // The demo keeps calltrove's defaults: EUII cleared after privacy.euiiDays, on the simulated clock.
  const retention = startRetentionSchedule({ store, config, clock, logger: options.logger });

  const since = clock.now() - options.days * 86_400_000;
  const backfilled = (async () => {
    const listed = (await backfill(collector.ctx, since)).listed;
    collector.ctx.nudge();
    for (;;) {
      const stored = await store.records.count();
      options.onProgress?.(Math.min(stored, listed), listed);
      // As many stored as listed may include live calls while a listed one is still being fetched: drain too.
      if (stored >= listed) {
        await collector.drain();
        return { stored: await store.records.count(), listed };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  return {
    url: server.url,
    twin,
    twinListener,
    collector,
    server,
    store,
    config,
    clock,
    backfilled,
    async stop() {
      twin.stop();
      await retention.stop();
      await server.close();
      await collector.stop();
      await twinListener.close();
      await store.close();
    },
  };
}
