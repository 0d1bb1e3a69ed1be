// Test support for the process suite: the compiled calltrove CLI and a listening twin as child processes, and what they left.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { builtCli } from './test-built-cli.ts';

/**
 * The environment without the developer's own CALLTROVE_* settings. Test support builds a child's environment
 * (PATH, HOME, ...), not settings of calltrove's: it reads process.env itself, outside src/config.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CALLTROVE_')));
}

export interface Proc {
  child: ChildProcess;
  readonly out: string;
  readonly err: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

/** Runs the compiled `calltrove <args>` (dist/, as it ships) as its own process, as an admin would. */
export function calltrove(args: readonly string[], env: Record<string, string> = {}): Proc {
  const cli = builtCli(args);
  const child = spawn(cli.command, cli.args, {
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  return {
    child,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, out, err })),
    ),
  };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, limitMs: number) {
  const until = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TwinProcess {
  proc: Proc;
  url: string;
  caFile: string;
  /** The collector's settings for this twin. */
  env: Record<string, string>;
  get<T>(path: string): Promise<T>;
  post(path: string, body: unknown): Promise<void>;
  stop(): Promise<void>;
}

/** `calltrove twin` listening on a free port; resolves once it printed where. */
export async function startTwinProcess(dir: string, args: readonly string[]): Promise<TwinProcess> {
  const caFile = `${dir}/twin-ca.pem`;
  const proc = calltrove(['twin', '--port', '0', '--cert-out', caFile, ...args]);
  await waitFor('the twin to listen', () => /Press Ctrl\+C/.test(proc.out), 60_000);
  const url = /CALLTROVE_AUTHORITY_URL=(https:\/\/[^)\s]+)\)/.exec(proc.out)?.[1] ?? '';
  const tenantId = /tenant id\s+(\S+)/.exec(proc.out)?.[1] ?? '';
  const clientId = /client id\s+(\S+)/.exec(proc.out)?.[1] ?? '';
  const clientSecret = /client secret\s+(\S+)/.exec(proc.out)?.[1] ?? '';
  const ca = readFileSync(caFile, 'utf8');
  const call = (method: string, path: string, body?: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request(`${url}${path}`, { method, ca, headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => {
          text += String(d);
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    proc,
    url,
    caFile,
    env: {
      CALLTROVE_TENANT_ID: tenantId,
      CALLTROVE_CLIENT_ID: clientId,
      CALLTROVE_CLIENT_SECRET: clientSecret,
      CALLTROVE_AUTHORITY_URL: url,
      CALLTROVE_GRAPH_URL: `${url}/v1.0`,
      CALLTROVE_CA_FILE: caFile,
      CALLTROVE_LOG_LEVEL: 'warn',
    },
    get: async <T>(path: string) => JSON.parse(await call('GET', path)) as T,
    post: async (path, body) => void (await call('POST', path, JSON.stringify(body))),
    async stop() {
      if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
      await proc.exited;
    },
  };
}

/** The home tenant's records as the twin's ground truth has them, sorted by id. */
export async function truthOf(twin: TwinProcess): Promise<Array<{ id: string; version: number }>> {
  const truth = await twin.get<{ tenants: Record<string, Array<{ id: string; version: number }>> }>(
    '/_twin/truth',
  );
  return [...(truth.tenants[twin.env.CALLTROVE_TENANT_ID] ?? [])].sort((a, b) => a.id.localeCompare(b.id));
}

/** What a SQLite store holds, in the same shape, and how many stored records have no sessions (not whole). */
export function storedOf(file: string): {
  records: Array<{ id: string; version: number }>;
  withoutSessions: number;
} {
  const db = new Database(file, { readonly: true });
  try {
    const records = db.prepare('SELECT id, version FROM calls ORDER BY id').all() as Array<{
      id: string;
      version: number;
    }>;
    const row = db
      .prepare(
        'SELECT COUNT(*) AS n FROM calls c WHERE NOT EXISTS (SELECT 1 FROM call_sessions s WHERE s.call_id = c.id)',
      )
      .get() as { n: number };
    return { records: records.sort((a, b) => a.id.localeCompare(b.id)), withoutSessions: row.n };
  } finally {
    db.close();
  }
}

/** A small organization keeps the suite within CI limits; the faults still hit (seeded), in real seconds. */
export const smallTwinArgs = ['--users', '8', '--days', '2', '--speed', '0', '--seed', '3'];

/** The store holds every record of the twin's truth at its version, each with its sessions. */
export async function expectStoreEqualsTruth(twin: TwinProcess, db: string): Promise<void> {
  const truth = await truthOf(twin);
  expect(truth.length).toBeGreaterThan(5);
  const stored = storedOf(db);
  expect(stored.records).toEqual(truth);
  expect(stored.withoutSessions).toBe(0);
}
