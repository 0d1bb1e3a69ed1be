// `calltrove backfill` and `collect --once` as child processes against a listening twin with flaky faults, real time:
// exit 0 and the store equal to /_twin/truth, also for a second run right after the first (budget spent).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calltrove,
  expectStoreEqualsTruth,
  smallTwinArgs,
  startTwinProcess,
  type TwinProcess,
} from './test-processes.ts';

describe('backfill and collect --once against a flaky twin', () => {
  let dir: string;
  let twin: TwinProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calltrove-proc-flaky-'));
    twin = await startTwinProcess(dir, [...smallTwinArgs, '--faults', 'flaky']);
  }, 60_000);
  afterAll(async () => {
    await twin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfill exits 0 with the store equal to the truth; a second one right after still exits 0 complete', {
    timeout: 240_000,
  }, async () => {
    const db = join(dir, 'backfill.db');
    const first = await calltrove(['backfill', '--since', '30d', '--db', db], twin.env).exited;
    expect(first.err).not.toMatch(/unexpected error/);
    expect(first.code).toBe(0);
    await expectStoreEqualsTruth(twin, db);
    // Back to back: the twin's throttle budget is spent by the first; the second waits as told and finishes.
    const second = await calltrove(['backfill', '--since', '30d', '--db', db], twin.env).exited;
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/backfill listed \d+ record/);
    await expectStoreEqualsTruth(twin, db);
  });

  it('collect --once twice in a row exits 0 each time, complete', { timeout: 240_000 }, async () => {
    const db = join(dir, 'once.db');
    for (let run = 0; run < 2; run++) {
      const r = await calltrove(['collect', '--once', '--since', '30d', '--db', db], twin.env).exited;
      expect(r.code).toBe(0);
      await expectStoreEqualsTruth(twin, db);
    }
  });
});
