// Real timers in a real process: a wait that is all that is left to do keeps Node running until it ends (with
// unref'd timers, Node gave up on the top-level await and exited 13 at a backfill's first retry wait).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const clockModule = fileURLToPath(new URL('./clock.ts', import.meta.url));

function run(body: string): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-clock-'));
  try {
    const file = join(dir, 'script.mts');
    writeFileSync(file, `import { SystemClock } from ${JSON.stringify(clockModule)};\n${body}\n`);
    const r = spawnSync(process.execPath, [runTs, file], { encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, out: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('a sleep on the system clock keeps the process alive until it ends', () => {
  const r = run("await new SystemClock().sleep(300);\nprocess.stdout.write('woke\\n');");
  expect(r).toEqual({ code: 0, out: 'woke\n' });
});

it('a timer the caller marks unref does not hold the process', () => {
  const r = run(
    "new SystemClock().setTimeout(() => process.stdout.write('fired\\n'), 5000, { unref: true });\nprocess.stdout.write('done\\n');",
  );
  expect(r).toEqual({ code: 0, out: 'done\n' });
});
