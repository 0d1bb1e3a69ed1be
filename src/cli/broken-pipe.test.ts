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

it('rethrows any other output error', () => {
  const stream = new EventEmitter();
  const exits: number[] = [];
  exitOnBrokenPipe(stream, (c) => exits.push(c));
  expect(() => stream.emit('error', errno('ENOSPC'))).toThrow('ENOSPC');
  expect(exits).toEqual([]);
});
