// `calltrove collect` and `backfill` as child processes while a listening twin storms (429s, 5xx bursts, timeouts,
// in real seconds): collect exits 0 within 10 s of SIGTERM (every wait ends on the process's stop signal, running
// jobs released), and a backfill over the same store afterwards waits the storm out, exits 0 and leaves the store
// equal to /_twin/truth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calltrove,
  expectStoreEqualsTruth,
  startTwinProcess,
  type TwinProcess,
  waitFor,
} from './test-processes.ts';

describe('a twin in a 429 storm', () => {
  let dir: string;
  let twin: TwinProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calltrove-proc-storm-'));
    twin = await startTwinProcess(dir, [
      '--users',
      '6',
      '--days',
      '1',
      '--speed',
      '0',
      '--seed',
      '3',
      '--faults',
      'storm',
    ]);
  }, 60_000);
  afterAll(async () => {
    await twin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collect stops within 10 s of SIGTERM in the middle of a storm; a backfill then finishes the work', {
    timeout: 300_000,
  }, async () => {
    const db = join(dir, 'service.db');
    // A storm longer than any patience: the collector is waiting out Retry-After when the SIGTERM comes.
    await twin.post('/_twin/control', { stormSeconds: 15 });
    const collect = calltrove(['collect', '--listen', '127.0.0.1:0', '--db', db], twin.env);
    await waitFor('the collector to start', () => /calltrove: collecting/.test(collect.out), 60_000);
    // The collector meets the storm (its first listing is answered 429) and waits it out as told.
    await waitFor(
      'the collector to be throttled',
      async () => {
        const stats = await twin.get<{ requests: Record<string, Record<string, number>> }>('/_twin/stats');
        return (stats.requests.list?.['429'] ?? 0) > 0;
      },
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const sent = Date.now();
    collect.child.kill('SIGTERM');
    const stopped = await collect.exited;
    const tookMs = Date.now() - sent;
    process.stderr.write(`collect stopped ${tookMs} ms after SIGTERM, during a 429 storm\n`);
    expect(stopped.code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    // The restart, a backfill over the same store, meets a storm too (started now) and finishes the work.
    await twin.post('/_twin/control', { stormSeconds: 5 });
    const restart = await calltrove(['backfill', '--since', '30d', '--db', db], twin.env).exited;
    expect(restart.err).not.toMatch(/unexpected error/);
    expect(restart.code).toBe(0);
    await expectStoreEqualsTruth(twin, db);
  });
});
