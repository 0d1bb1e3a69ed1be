// Three `calltrove collect --once` processes share one PostgreSQL schema against one Graph twin (HTTPS, time
// frozen); one is killed with SIGKILL while it holds work. The store ends equal to /_twin/truth, and every record
// was fetched once: no two processes did the same work (the one exception allowed: jobs the killed process held).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../clock/clock.ts';
import type { Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { migrations } from '../store/migrations/index.ts';
import { postgresOnly } from '../store/test-stores.ts';
import { createTwin, type Twin, type TwinListener } from '../twin/twin.ts';

/** Fetch workers per collector process (settingsFromConfig's default): the work one process can have in flight. */
const workers = 8;

interface Proc {
  name: string;
  child: ChildProcess;
  out: string;
  exited: Promise<number | null>;
}

async function waitFor(what: string, cond: () => Promise<boolean>, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Leases held right now, per process (each process names its connections; its owner lock ties leases to it). */
async function leasesByProcess(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.all<{ app: string; key: string }>(
    `SELECT a.application_name AS app, w.job_key AS key FROM work_queue w
     JOIN pg_locks l ON l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
       AND l.objid = hashtext('worker:' || regexp_replace(w.lease_token, ':[^:]*$', ''))::oid
     JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE w.lease_token IS NOT NULL`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.app, [...(out.get(r.app) ?? []), r.key]);
  return out;
}

const suite = 'three collector processes on one PostgreSQL schema';
for (const database of await postgresOnly(suite)) {
  describe(suite, () => {
    let twin: Twin;
    let listener: TwinListener;
    let dir: string;
    let db: Db;
    let url: string;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'calltrove-multi-'));
      twin = createTwin({ seed: 5, users: 60, days: 4, clock: new ScaledClock(Date.now(), 0) });
      listener = await twin.listen({ port: 0, host: '127.0.0.1', certOut: join(dir, 'twin-ca.pem') });
      ({ db, url, dispose } = await database.open());
      // Migrated once here so the processes start on an existing schema (concurrent first starts are tested
      // in src/store/open-concurrently.test.ts).
      await migrate(db, migrations, () => 0);
    });
    afterAll(async () => {
      twin.stop();
      await listener.close();
      await dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    function collect(name: string): Proc {
      const child = spawn(process.execPath, ['bin/calltrove.js', 'collect', '--once', '--since', '30d'], {
        env: {
          ...process.env,
          CALLTROVE_DATABASE_URL: url,
          CALLTROVE_AUTHORITY_URL: listener.url,
          CALLTROVE_GRAPH_URL: listener.graphUrl,
          CALLTROVE_CA_FILE: join(dir, 'twin-ca.pem'),
          CALLTROVE_TENANT_ID: twin.credentials.tenantId,
          CALLTROVE_CLIENT_ID: twin.credentials.clientId,
          CALLTROVE_CLIENT_SECRET: twin.credentials.clientSecret,
          CALLTROVE_LOG_LEVEL: 'warn',
          // node-postgres names every connection of the process: pg_stat_activity tells them apart.
          PGAPPNAME: name,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const p: Proc = {
        name,
        child,
        out: '',
        exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
      };
      child.stdout?.on('data', (d) => {
        p.out += String(d);
      });
      child.stderr?.on('data', (d) => {
        p.out += String(d);
      });
      return p;
    }

    const stats = async () =>
      (await (await twin.fetch(new Request(`${listener.url}/_twin/stats`))).json()) as {
        requests: Record<string, Record<string, number>>;
      };
    const count = async (sql: string) => Number((await db.get<{ n: number }>(sql))?.n ?? 0);

    it('ends equal to the truth, each record fetched once, after one of them is killed mid-run', {
      timeout: 120_000,
    }, async () => {
      const truthRes = await twin.fetch(new Request(`${listener.url}/_twin/truth`));
      const truth = new Map(
        ((await truthRes.json()) as { tenants: Record<string, { id: string; version: number }[]> }).tenants[
          twin.homeTenantId
        ].map((r) => [r.id, r.version]),
      );
      expect(truth.size).toBeGreaterThan(200);

      const procs = ['collector-a', 'collector-b', 'collector-c'].map(collect);
      // Kill a process once it holds fetch jobs and part of the work is stored: mid-run, with work in hand. It is
      // frozen (SIGSTOP) while its leases are read, so the jobs it held are exactly those it could have started.
      let victim: Proc | undefined;
      let heldAtKill: string[] = [];
      await waitFor(
        'a process holding work mid-run',
        async () => {
          const stored = await count('SELECT COUNT(*) AS n FROM calls');
          if (stored < truth.size * 0.15) return false;
          for (const p of procs) {
            if (((await leasesByProcess(db)).get(p.name)?.length ?? 0) === 0) continue;
            p.child.kill('SIGSTOP');
            const held = (await leasesByProcess(db)).get(p.name) ?? [];
            if (held.length === 0) {
              p.child.kill('SIGCONT');
              continue;
            }
            victim = p;
            heldAtKill = held;
            p.child.kill('SIGKILL');
            return true;
          }
          return false;
        },
        60_000,
      );
      const survivors = procs.filter((p) => p !== victim);
      const codes = await Promise.all(survivors.map((p) => p.exited));
      expect(codes, survivors.map((p) => p.out).join('\n')).toEqual([0, 0]);
      expect(await victim?.exited).toBeNull();

      const rows = await db.all<{ id: string; version: number }>('SELECT id, version FROM calls');
      const stored = new Map(rows.map((r) => [r.id, Number(r.version)]));
      const missing = [...truth.keys()].filter((id) => !stored.has(id));
      const behind = [...truth].filter(([id, v]) => stored.has(id) && stored.get(id) !== v);
      const extra = [...stored.keys()].filter((id) => !truth.has(id));
      expect({ missing, behind, extra }).toEqual({ missing: [], behind: [], extra: [] });
      expect(rows.length).toBe(truth.size);

      // No record was fetched and noted by two processes. A record may show no counted fetch only if the killed
      // process fetched and stored it and died before noting it (another process then found it stored): at most
      // as many as it had workers.
      const plans = await db.all<{ id: string; fetches: number }>(
        'SELECT record_id AS id, fetches FROM record_plans',
      );
      expect(plans.length).toBe(truth.size);
      expect(plans.filter((p) => Number(p.fetches) > 1)).toEqual([]);
      const uncounted = plans.filter((p) => Number(p.fetches) === 0).length;
      expect(uncounted).toBeLessThanOrEqual(workers);
      // Graph saw one GET per record, plus at most the killed process's fetches in flight (fetched, perhaps
      // stored, never noted): no two live processes ever made the same fetch.
      const gets = (await stats()).requests.record?.['200'] ?? 0;
      expect(gets).toBeGreaterThanOrEqual(truth.size);
      expect(gets).toBeLessThanOrEqual(truth.size + workers);
      expect(heldAtKill.length).toBeGreaterThan(0);
      expect(await count('SELECT COUNT(*) AS n FROM work_queue WHERE lease_token IS NOT NULL')).toBe(0);
    });
  });
}
