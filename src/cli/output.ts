// The one output writer: what a command prints goes through here, and a write that fails (disk full, no
// permission, the reader gone) becomes a clear message and a non-zero exit instead of a stack trace or a lie.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { CalltroveError } from '../errors.ts';

const reasons: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the folder does not exist',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  EPIPE: 'the reader closed the pipe',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
};

/** A failed write as the error family's 'output' kind, saying where, why and what to do. */
export function outputError(where: string, err: NodeJS.ErrnoException): CalltroveError {
  const why = (err.code && reasons[err.code]) ?? err.message;
  return new CalltroveError('output', `cannot write ${where}: ${why}${err.code ? ` (${err.code})` : ''}`, {
    hint:
      where === 'the standard output'
        ? 'check where the output is redirected to (free space, permissions), or write to a file with --out where the command has it'
        : 'choose a path in an existing folder you can write to, with free space',
    cause: err,
  });
}

/**
 * A destination for a command's output with backpressure: `write` resolves once the chunk may be followed by
 * another, `end` once everything is on disk (or in the pipe). Either rejects with an 'output' CalltroveError.
 */
export interface Output {
  write(chunk: string): Promise<void>;
  end(): Promise<void>;
  /** The reader went away (`| head`): stop producing, quietly. */
  readonly closed: boolean;
}

function outputOn(stream: Writable, where: string, owned: boolean): Output {
  let failure: CalltroveError | undefined;
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    // A reader that stops early (`calls | head`) is not a failure: it had all it wanted.
    if (err.code === 'EPIPE' && !owned) closed = true;
    else failure ??= outputError(where, err);
  };
  stream.on('error', onError);
  const check = () => {
    if (failure) throw failure;
  };
  return {
    get closed() {
      return closed;
    },
    async write(chunk) {
      check();
      if (closed) return;
      const ok = stream.write(chunk);
      if (!ok)
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off('drain', done);
            stream.off('close', done);
            stream.off('error', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('close', done);
          stream.on('error', done);
        });
      check();
    },
    async end() {
      check();
      if (closed) return;
      if (owned)
        await new Promise<void>((resolve) => {
          stream.once('close', resolve);
          stream.end();
        });
      else if (stream.writableNeedDrain)
        await new Promise<void>((resolve) => {
          stream.once('drain', resolve);
          stream.once('close', resolve);
        });
      // A failed write's 'error' event comes a tick after the write.
      await new Promise<void>((resolve) => setImmediate(resolve));
      check();
    },
  };
}

/** Standard output, or a file created at `path` (a missing folder or a full disk is said as such). */
export function openOutput(path?: string): Output {
  if (!path) return outputOn(process.stdout, 'the standard output', false);
  return outputOn(createWriteStream(path), path, true);
}
