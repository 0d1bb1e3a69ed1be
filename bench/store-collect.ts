// bench:store's collector part: N `calltrove collect --once` processes against one Graph twin (HTTPS, in this
// process, real time: its throttle windows roll as Graph's do) and one PostgreSQL schema; records/s for N = 1, 2,
// 3, and the twin's view of the requests.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../src/clock/clock.ts';
import { createTwin } from '../src/twin/twin.ts';
import { count, openBenchStore } from './store-setup.ts';

export interface CollectFigures {
  processes: number;
  records: number;
  /** Spawn to the last exit. */
  seconds: number;
  /** First to last record stored: the fetching itself, without process start-up and the first list. */
  fetchSeconds: number;
  requests: number;
  throttled: number;
  /** CPU seconds spent by the collector processes, the PostgreSQL server processes and the twin (this process). */
  cpu: { collectors: number; postgres: number; twin: number };
}

/** utime + stime of a process in seconds (Linux /proc); 0 once it is gone. */
function cpuOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/calltrove.js', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  return {
    child,
    exited: new Promise((resolve, reject) =>
      child.once('exit', (code) =>
        code === 0 ? resolve(code) : reject(new Error(`collect exited ${code}: ${err.slice(-2000)}`)),
      ),
    ),
  };
}

/** One run: a fresh twin (same seed: the same records, fresh throttle windows) and a fresh schema. */
export async function collectRun(
  processes: number,
  twinSize: { users: number; days: number },
): Promise<CollectFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-bench-collect-'));
  // Real time (speed 1): with time frozen the twin's 20-second throttle windows would never roll over.
  const twin = createTwin({ seed: 9, ...twinSize, clock: new ScaledClock(Date.now(), 1) });
  const listener = await twin.listen({ port: 0, host: '127.0.0.1', certOut: join(dir, 'ca.pem') });
  const bench = await openBenchStore('postgres');
  try {
    const truth = (await (await twin.fetch(new Request(`${listener.url}/_twin/truth`))).json()) as {
      tenants: Record<string, unknown[]>;
    };
    const records = truth.tenants[twin.homeTenantId].length;
    const env = {
      ...process.env,
      CALLTROVE_DATABASE_URL: bench.url,
      CALLTROVE_AUTHORITY_URL: listener.url,
      CALLTROVE_GRAPH_URL: listener.graphUrl,
      CALLTROVE_CA_FILE: join(dir, 'ca.pem'),
      CALLTROVE_TENANT_ID: twin.credentials.tenantId,
      CALLTROVE_CLIENT_ID: twin.credentials.clientId,
      CALLTROVE_CLIENT_SECRET: twin.credentials.clientSecret,
      CALLTROVE_LOG_LEVEL: 'warn',
    };
    const t0 = performance.now();
    const twinCpu0 = process.cpuUsage();
    const procs = Array.from({ length: processes }, () => run(['collect', '--once', '--since', '30d'], env));
    let first = 0;
    let last = 0;
    let done = false;
    const all = Promise.all(procs.map((p) => p.exited)).finally(() => {
      done = true;
    });
    // Watch the store fill (when the first and the last record arrived) and the CPU each part has used: the
    // last sample of a process before it exits stands for its total (sampled every 100 ms).
    const seen = new Map<string, number>();
    const sample = async () => {
      for (const p of procs)
        seen.set(`c${p.child.pid}`, Math.max(seen.get(`c${p.child.pid}`) ?? 0, cpuOf(p.child.pid)));
      const backends = await bench.store.db.all<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      for (const { pid } of backends) seen.set(`p${pid}`, Math.max(seen.get(`p${pid}`) ?? 0, cpuOf(pid)));
    };
    while (!done) {
      await sample();
      const n = await count(bench.store.db, 'calls');
      if (n > 0 && first === 0) first = performance.now();
      if (n >= records && last === 0) last = performance.now();
      await new Promise((r) => setTimeout(r, 100));
    }
    await all;
    const seconds = (performance.now() - t0) / 1000;
    if (last === 0) last = performance.now();
    const stored = await count(bench.store.db, 'calls');
    // Calls keep ending while it runs (real time): at least the records there were at the start are stored.
    if (stored < records) throw new Error(`stored ${stored} of ${records} records`);
    const stats = (await (await twin.fetch(new Request(`${listener.url}/_twin/stats`))).json()) as {
      requests: Record<string, Record<string, number>>;
      total: number;
    };
    const throttled = Object.values(stats.requests).reduce((a, byStatus) => a + (byStatus['429'] ?? 0), 0);
    const twinUsage = process.cpuUsage(twinCpu0);
    const sum = (prefix: string) =>
      [...seen].filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);
    return {
      processes,
      records,
      seconds,
      fetchSeconds: (last - first) / 1000,
      requests: stats.total,
      throttled,
      cpu: { collectors: sum('c'), postgres: sum('p'), twin: (twinUsage.user + twinUsage.system) / 1e6 },
    };
  } finally {
    twin.stop();
    await listener.close();
    await bench.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
