// `calltrove serve [--port 3000] [--host 127.0.0.1]`: the REST API and the dashboard until Ctrl+C.
import type { Command } from 'commander';
import { startAlertSchedule } from '../../alerts/schedule.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { createAuditSink } from '../../privacy/audit.ts';
import { createRedactingLogger } from '../../privacy/log-redaction.ts';
import { startRetentionSchedule } from '../../privacy/retention.ts';
import { startServer } from '../../server/start-server.ts';
import { commandConfig } from '../command-config.ts';
import { keepAliveUntilStopped } from '../lifecycle.ts';
import { openCommandStore } from '../open-store.ts';
import type { Register } from './index.ts';

function portOf(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CalltroveError('bad_request', `bad port "${v}"`, {
      hint: 'a port is a whole number from 0 to 65535',
    });
  return n;
}

export const registerServe: Register = (program: Command, env) => {
  program
    .command('serve')
    .description(
      'serve the REST API (/api/v1) and the dashboard; loopback only unless CALLTROVE_API_TOKEN is set',
    )
    .option('--port <port>', 'TCP port (default 3000; 0 picks a free one)', portOf)
    .option('--host <host>', 'address to listen on (default 127.0.0.1; others need an API token)')
    .action(async (opts: { port?: number; host?: string }, cmd: Command) => {
      const config = commandConfig(cmd, env, {
        api: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.port !== undefined ? { port: opts.port } : {}),
        },
      });
      const logger = createRedactingLogger(config.logLevel);
      const store = await openCommandStore(config, 'write');
      try {
        // Privacy: investigator reads of EUII go to the audit log; retention runs on its own every few hours.
        const server = await startServer({
          store,
          config,
          logger,
          audit: createAuditSink({ store, config }),
        });
        const clock = new SystemClock();
        const retention = startRetentionSchedule({ store, config, clock, logger });
        // Alerts evaluate here too (collect may not run on this host); a recent run elsewhere is not repeated.
        const alerts = config.alerts.channels.length
          ? startAlertSchedule({ store, config, clock, logger })
          : undefined;
        const who =
          config.api.tokens.length > 0
            ? `API tokens required (${config.api.tokens.map((t) => t.role).join(', ')})`
            : 'no API token set: local use only, you are the investigator';
        process.stdout.write(`calltrove: serving ${server.url}  (${who})\n`);
        if (server.dashboard === 'unavailable')
          process.stdout.write(
            'calltrove: the dashboard is not built; run `npm run build:web` (the API works)\n',
          );
        await keepAliveUntilStopped();
        await alerts?.stop();
        await retention.stop();
        await server.close();
      } finally {
        await store.close();
      }
    });
};
