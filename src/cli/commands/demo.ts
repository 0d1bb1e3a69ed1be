// `calltrove demo` (what `npm start` runs): the twin, the collector and the dashboard in one process, no account needed.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { shownDatabaseUrl } from '../../config/connection-string.ts';
import { CalltroveError } from '../../errors.ts';
import { createRedactingLogger } from '../../privacy/log-redaction.ts';
import { commandConfig } from '../command-config.ts';
import { startDemo } from '../demo/run-demo.ts';
import { keepAliveUntilStopped } from '../lifecycle.ts';
import type { Register } from './index.ts';

function int(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new CalltroveError('bad_request', `${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

export const registerDemo: Register = (program: Command, env) => {
  program
    .command('demo')
    .description(
      'run the demo: a simulated Teams tenant (the Graph twin), the collector against it, and the dashboard',
    )
    .option('--data-dir <dir>', 'where the demo keeps its database and certificate', './data/demo')
    .option('--port <port>', 'dashboard port', int('--port', 0, 65535), 3000)
    .option('--host <host>', 'dashboard host', '127.0.0.1')
    .option('--seed <n>', 'seed of the simulated organization', int('--seed', 0, 2 ** 31), 42)
    .option('--users <n>', 'users in the simulated tenant', int('--users', 2, 20000), 200)
    .option('--days <n>', 'days of call history to start with', int('--days', 1, 30), 14)
    .option('--speed <n>', 'simulated seconds per real second', int('--speed', 0, 3600), 60)
    .action(
      async (
        opts: {
          dataDir: string;
          port: number;
          host: string;
          seed: number;
          users: number;
          days: number;
          speed: number;
        },
        cmd: Command,
      ) => {
        const globals = cmd.optsWithGlobals<{ db?: string }>();
        // The demo talks through its progress bar; logs stay at warnings unless asked to be chattier.
        const level = commandConfig(cmd, env).logLevel;
        const logger = createRedactingLogger(level === 'debug' || level === 'trace' ? level : 'warn');
        const tty = process.stderr.isTTY;
        const bar = new SingleBar({
          format: 'backfill |{bar}| {value}/{total} call records',
          hideCursor: true,
          noTTYOutput: false,
        });
        let started = false;
        let lastLogged = -1;
        const demo = await startDemo({
          env,
          dataDir: opts.dataDir,
          databaseUrl: globals.db,
          seed: opts.seed,
          users: opts.users,
          days: opts.days,
          speed: opts.speed,
          port: opts.port,
          host: opts.host,
          logger,
          onStep: (message) => process.stderr.write(`demo: ${message}\n`),
          onProgress: (stored, listed) => {
            if (tty) {
              if (!started) bar.start(listed, stored);
              started = true;
              bar.setTotal(listed);
              bar.update(stored);
            } else if (stored !== lastLogged && (stored === listed || stored - lastLogged >= listed / 10)) {
              lastLogged = stored;
              process.stdout.write(`backfill: ${stored}/${listed} call records\n`);
            }
          },
        });
        process.stdout.write(
          `calltrove demo\n  dashboard   ${demo.url}\n  graph twin  ${demo.twinListener.graphUrl} (tenant ${demo.config.tenantId})\n  database    ${shownDatabaseUrl(demo.config.databaseUrl)}\n  new calls keep arriving (${opts.speed}x time); Ctrl+C stops\n`,
        );
        const done = await demo.backfilled;
        if (started) bar.stop();
        process.stdout.write(`backfill done: ${done.stored} call records stored; open ${demo.url}\n`);
        await keepAliveUntilStopped();
        await demo.stop();
      },
    );
};
