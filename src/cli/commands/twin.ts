// `calltrove twin`: runs the Graph twin (a synthetic Teams tenant behind Graph and Entra ID) over HTTPS until Ctrl+C.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { ScaledClock, SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { createTwin, type TwinListener, twinDefaults } from '../../twin/twin.ts';
import { keepAliveUntilStopped } from '../lifecycle.ts';
import type { Register } from './index.ts';

export interface TwinCommandOptions {
  port: string;
  host: string;
  seed: string;
  users: string;
  days: string;
  speed: string;
  faults: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  certOut: string;
  buildingsOut?: string;
  traceRoute?: boolean;
}

function number(name: string, value: string, min: number, max: number, integer = true): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw new CalltroveError(
      'bad_request',
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not '${value}'`,
    );
  return n;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Starts the twin and returns what it printed and how to stop it (the CLI waits for Ctrl+C in between). */
export async function startTwin(
  opts: TwinCommandOptions,
  write: (text: string) => void,
): Promise<{ listener: TwinListener; stop: () => Promise<void> }> {
  const faults = opts.faults;
  if (!['none', 'flaky', 'storm'].includes(faults))
    throw new CalltroveError('bad_request', `--faults must be none, flaky or storm, not '${faults}'`);
  const speed = number('speed', opts.speed, 0, 100_000, false);
  const seed = number('seed', opts.seed, 0, 2 ** 32 - 1);
  const users = number('users', opts.users, 2, 20_000);
  const days = number('days', opts.days, 0, 45);
  const port = number('port', opts.port, 0, 65_535);
  const started = performance.now();
  const twin = createTwin({
    seed,
    users,
    days,
    clock: new ScaledClock(new SystemClock().now(), speed),
    // Graph's limits, storms and slow answers run on real seconds whatever --speed does (docs/twin.md).
    graphClock: new SystemClock(),
    faults: faults as 'none' | 'flaky' | 'storm',
    tenantId: opts.tenantId,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    traceRoute: opts.traceRoute,
  });
  const generatedMs = Math.round(performance.now() - started);
  let listener: TwinListener;
  try {
    mkdirSync(dirname(opts.certOut), { recursive: true });
    listener = await twin.listen({ port, host: opts.host, certOut: opts.certOut });
  } catch (err) {
    twin.stop();
    throw new CalltroveError(
      'config',
      `the twin cannot listen on ${opts.host}:${port}: ${(err as Error).message}`,
      {
        hint: 'Choose a free port with --port (0 picks one) or another --host.',
      },
    );
  }
  if (opts.buildingsOut) writeFile(opts.buildingsOut, twin.buildingsCsv());
  const truth = (await (await twin.fetch(new Request(`${listener.url}/_twin/truth`))).json()) as {
    tenants: Record<string, unknown[]>;
  };
  const c = twin.credentials;
  const externals = twin.tenants.filter((t) => !t.home);
  write(
    [
      `calltrove twin: seed ${seed}, ${users} users, ${days} days of history generated in ${generatedMs} ms ` +
        `(${truth.tenants[c.tenantId].length} call records in the home tenant), ` +
        `${speed === 0 ? 'time frozen' : `${speed}x time`}, faults ${faults}`,
      `  authority      ${listener.authorityUrl}   (CALLTROVE_AUTHORITY_URL=${listener.url})`,
      `  graph          ${listener.graphUrl}   (CALLTROVE_GRAPH_URL)`,
      `  tenant id      ${c.tenantId}${c.tenantId === twinDefaults.tenantId ? ' (default)' : ''}`,
      `  client id      ${c.clientId}`,
      `  client secret  ${c.clientSecret}`,
      `  other tenants  ${externals.map((t) => `${t.id} (${t.name})`).join(', ')} (same app credentials)`,
      `  certificate    ${opts.certOut}   (trust it: CALLTROVE_CA_FILE=${opts.certOut})`,
      ...(opts.buildingsOut ? [`  buildings      ${opts.buildingsOut}   (CQD building file)`] : []),
      `  ground truth   ${listener.url}/_twin/truth, stats ${listener.url}/_twin/stats`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  return {
    listener,
    stop: async () => {
      twin.stop();
      await listener.close();
    },
  };
}

export const registerTwin: Register = (program: Command) => {
  program
    .command('twin')
    .description(
      'run the Graph twin: a simulated Teams tenant serving Graph call records and Entra ID tokens over HTTPS',
    )
    .option('--port <n>', 'HTTPS port (0 picks a free one)', '4000')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'random seed: the same seed gives the same calls', '1')
    .option('--users <n>', 'members of the home tenant', '200')
    .option('--days <n>', 'days of call history generated at start', '14')
    .option('--speed <n>', 'simulated seconds per real second; 0 freezes time after the history', '60')
    .option('--faults <profile>', 'none, flaky or storm', 'none')
    .option('--tenant-id <id>', 'home tenant id accepted by the authority')
    .option('--client-id <id>', 'application (client) id accepted by the authority')
    .option('--client-secret <secret>', 'client secret accepted by the authority')
    .option(
      '--cert-out <file>',
      "where to write the twin's certificate (PEM) for clients to trust",
      './data/twin-ca.pem',
    )
    .option('--buildings-out <file>', 'write the CQD building file of the synthetic organization here')
    .option('--trace-route', 'report traceRouteHops (empty by default, as in Microsoft 365)')
    .action(async (opts: TwinCommandOptions) => {
      const running = await startTwin(opts, (text) => process.stdout.write(text));
      await keepAliveUntilStopped();
      await running.stop();
    });
};
