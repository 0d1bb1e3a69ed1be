// Standard output's last line of defence: a write error on stdout ends the command with a message, never a stack.
import type { EventEmitter } from 'node:events';
import { exitCodeOf } from './exit-codes.ts';
import { outputError } from './output.ts';

/**
 * A reader that stops early (`calltrove calls | head`) closes the pipe: EPIPE exits with `code` (0: the reader had
 * all it wanted). Any other write error (`calls > /dev/full`: ENOSPC; a file without permission: EACCES) prints
 * what went wrong and exits with the 'output' exit code, as the error family's output kind says.
 */
export function exitOnBrokenPipe(
  stream: EventEmitter,
  exit: (code: number) => void = (code) => process.exit(code),
  code = 0,
  report: (text: string) => void = (text) => process.stderr.write(text),
): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return exit(code);
    const e = outputError('the standard output', err);
    report(`calltrove: ${e.message}\n  ${e.hint}\n`);
    exit(exitCodeOf.output);
  });
}
