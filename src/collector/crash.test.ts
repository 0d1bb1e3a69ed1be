// Crash safety: `calltrove backfill` and `calltrove collect` as child processes against a listening HTTPS twin, killed
// with SIGKILL at random points and restarted; in the end the store equals the twin's truth, nothing twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.ts';
import { openStore } from '../store/store.ts';
import { createTwin } from '../twin/twin.ts';
import { type Comparison, compareWithTruth } from './test-twin.ts';

const bin = fileURLToPath(new URL('../../bin/calltrove.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seeded generator, so a failing run can be repeated (the seed is in the test name). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The environment without any CALLTROVE_* of the developer's shell: the config file says everything. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CALLTROVE_')));
}

const seed = 20261129;

describe('collector crash safety', () => {
  it(`loses and duplicates nothing when killed with SIGKILL at random points (seed ${seed})`, {
    timeout: 120_000,
  }, async () => {
    const rnd = random(seed);
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-crash-'));
    const twin = createTwin({ seed: 3, users: 120, days: 2, clock: new SystemClock() });
    const listener = await twin.listen({ port: 0, certOut: join(dir, 'twin.pem') });
    const port = await freePort();
    const dbPath = join(dir, 'calltrove.db');
    const configFile = join(dir, 'calltrove.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        ...twin.credentials,
        graphUrl: listener.graphUrl,
        authorityUrl: listener.url,
        caFile: join(dir, 'twin.pem'),
        notificationUrl: `http://127.0.0.1:${port}/api/notifications`,
        listen: `127.0.0.1:${port}`,
        databaseUrl: dbPath,
        logLevel: 'error',
        // Compressed for a test that runs in seconds of real time.
        planner: {
          settleSeconds: 1,
          finalHorizonSeconds: 2,
          reconcileEverySeconds: 2,
          reconcileLookbackSeconds: 4 * 86_400,
        },
      }),
    );
    const children: ChildProcess[] = [];
    const run = (args: string[]) => {
      const child = spawn(process.execPath, [bin, ...args, '--config', configFile], {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr?.on('data', (d) => {
        err += String(d);
      });
      children.push(child);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return { child, exited, stderr: () => err };
    };
    const storedAtKills: number[] = [];
    const stored = async () => {
      const peek = await openStore(dbPath);
      try {
        return Number((await peek.db.get<{ c: number }>('SELECT COUNT(*) AS c FROM calls'))?.c ?? 0);
      } finally {
        await peek.close();
      }
    };
    /** Waits until the process stores something new (it is at work), then kills it a random moment later. */
    const killMidWork = async (p: ReturnType<typeof run>, before: number) => {
      for (let i = 0; i < 600 && p.child.exitCode === null; i++) {
        if ((await stored()) > before) break;
        await sleep(20);
      }
      await sleep(rnd() * 400);
      p.child.kill('SIGKILL');
      await p.exited;
      storedAtKills.push(await stored());
    };
    let last: Comparison | undefined;
    try {
      // A backfill killed part-way, then a collector killed again and again, each at a random moment of its work.
      await killMidWork(run(['backfill', '--since', '3d']), 0);
      for (let i = 0; i < 4; i++)
        await killMidWork(run(['collect']), storedAtKills[storedAtKills.length - 1]);
      const final = run(['collect']);
      const store = await openStore(dbPath);
      try {
        for (let waited = 0; waited < 60_000; waited += 1000) {
          last = await compareWithTruth(store, twin);
          if (last.atLatest === last.truth && last.stored === last.truth) break;
          await sleep(1000);
        }
        const raw = await store.db.all<{ call_id: string }>(
          'SELECT call_id FROM raw_versions GROUP BY call_id, version HAVING COUNT(*) > 1',
        );
        expect(raw).toEqual([]);
      } finally {
        await store.close();
      }
      final.child.kill('SIGTERM');
      expect(await final.exited).toBe(0);
      expect(last?.truth).toBeGreaterThan(50);
      // The kills fell in the middle of the work, not before or after it.
      expect(storedAtKills.some((n) => n > 0 && n < (last?.truth ?? 0))).toBe(true);
      expect(last?.missing).toEqual([]);
      expect(last?.behind).toEqual([]);
      expect(last?.extra).toEqual([]);
      expect(last?.duplicates).toBe(0);
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      twin.stop();
      await listener.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
