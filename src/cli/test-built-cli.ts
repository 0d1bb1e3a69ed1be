// Test support: the command that runs the compiled CLI (dist/cli/entry.js) as it ships, building dist once if stale.
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../bin/ensure-built.js';

const entry = fileURLToPath(new URL('../../dist/cli/entry.js', import.meta.url));

export interface CliCommand {
  command: string;
  args: string[];
}

/**
 * `{ command, args }` to spawn the built `calltrove` with `args` after it. The first call in a checkout whose
 * dist is missing or older than src/ or web/ builds it (tsc + vite; one worker builds, the others wait).
 */
export function builtCli(args: readonly string[] = []): CliCommand {
  ensureBuilt({ say: (message) => process.stderr.write(`test-built-cli: ${message}\n`) });
  return { command: process.execPath, args: [entry, ...args] };
}
