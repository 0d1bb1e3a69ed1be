// A closed pipe ends the command quietly; other output errors still surface.
import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import { exitOnBrokenPipe } from './broken-pipe.ts';

const errno = (code: string) => Object.assign(new Error(code), { code });

it('exits with 0 when the reader closes the pipe (EPIPE)', () => {
  const stream = new EventEmitter();
  const exits: number[] = [];
  exitOnBrokenPipe(stream, (c) => exits.push(c));
  // Without a listener an 'error' event throws: this line would fail the test.
  stream.emit('error', errno('EPIPE'));
  expect(exits).toEqual([0]);
});

it('ends any other output error with a message saying why and the output exit code (7)', () => {
  const stream = new EventEmitter();
  const exits: number[] = [];
  const said: string[] = [];
  exitOnBrokenPipe(
    stream,
    (c) => exits.push(c),
    0,
    (t) => said.push(t),
  );
  stream.emit('error', errno('ENOSPC'));
  expect(exits).toEqual([7]);
  expect(said.join('')).toMatch(/cannot write the standard output: no space left on the device \(ENOSPC\)/);
});
