// Starts the app on a port (Node's HTTP server via @hono/node-server): used by `calltrove serve` and the demo.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { silentLogger } from '../config/logger.ts';
import { configuredHosts, createHostPolicy } from '../http/host-guard.ts';
import { type AppOptions, createApp } from './app.ts';
import { checkBindAllowed } from './auth.ts';
import { builtDashboardDir, type DashboardState, ensureDashboard } from './dashboard-build.ts';

export interface StartServerOptions extends AppOptions {
  /** Default: config.api.host (127.0.0.1). A non-loopback host needs an API token. */
  host?: string;
  /** Default: config.api.port (3000); 0 picks a free port. */
  port?: number;
  /** Check that the built dashboard is there and log when it is not (default true). */
  buildDashboard?: boolean;
}

export interface RunningServer {
  /** The dashboard's address, e.g. http://127.0.0.1:3000/ */
  url: string;
  port: number;
  dashboard: DashboardState;
  close(): Promise<void>;
}

/** Checks the bind address, checks the built dashboard is there, listens, and resolves once the port is open. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? options.config.api.host;
  const port = options.port ?? options.config.api.port;
  checkBindAllowed(host, options.config.api);
  const logger = options.logger ?? silentLogger;
  const dashboard =
    options.dashboardDir === false || options.buildDashboard === false
      ? 'fresh'
      : ensureDashboard(logger, options.dashboardDir || undefined);
  const app = createApp({
    ...options,
    dashboardDir: options.dashboardDir ?? builtDashboardDir,
    hostPolicy:
      options.hostPolicy ??
      createHostPolicy({ bindHost: host, allowedHosts: configuredHosts(options.config) }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
  const actual = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${actual}/`,
    port: actual,
    dashboard,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets (a browser tab) would hold close() open; end them.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
