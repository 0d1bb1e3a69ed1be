// `calltrove calls | head`: a reader that stops early closes the pipe; that ends the command quietly, not with a stack.
import type { EventEmitter } from 'node:events';

/**
 * Exits with `code` (0: the reader had all it wanted) when a write to `stream` fails with EPIPE. Any other
 * stream error is rethrown, as Node would without a listener.
 */
export function exitOnBrokenPipe(
  stream: EventEmitter,
  exit: (code: number) => void = (code) => process.exit(code),
  code = 0,
): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(code);
    else throw err;
  });
}
