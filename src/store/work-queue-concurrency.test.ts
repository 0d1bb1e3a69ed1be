// Several collector processes on one database share the queue: each with its own connections (PostgreSQL: its
// own pool, claiming with SKIP LOCKED), all claiming and finishing at once. No job may be held by two of them at
// a time, and every job is done exactly once. SQLite is the one-process store (better-sqlite3 blocks its thread
// while another connection writes), so there the same workers share the one process's connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { PostgresDb } from './postgres/postgres-db.ts';
import { testDatabases } from './test-stores.ts';
import { claim, enqueue, finish, queueStats } from './work-queue.ts';

const JOBS = 300;
const WORKERS = 9;

for (const database of await testDatabases()) {
  const processes = database.name === 'postgres' ? 3 : 1;
  describe(`work queue shared by ${processes} process(es) (${database.name})`, () => {
    let dbs: Db[] = [];
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      const opened = await database.open();
      await migrate(opened.db, migrations, () => 0);
      dbs = [opened.db];
      // Another process's pool: its own sessions, so its claims really race ours.
      for (let p = 1; p < processes; p++) dbs.push(new PostgresDb(opened.url, { poolSize: 4 }));
      dispose = opened.dispose;
    });
    afterEach(async () => {
      await Promise.all(dbs.slice(1).map((db) => db.close()));
      await dispose();
    });

    it('never hands a job to two claimers, and every job is done once', async () => {
      const t0 = Date.now();
      for (let i = 0; i < JOBS; i++) await enqueue(dbs[0], { kind: 'fetch', key: `r${i}`, dueAt: t0 }, t0);
      const holder = new Map<string, string>();
      const done = new Map<string, number>();
      const violations: string[] = [];
      const claimsPerProcess = dbs.map(() => 0);

      async function worker(p: number, w: number): Promise<void> {
        const db = dbs[p];
        const owner = `p${p}w${w}`;
        for (;;) {
          const jobs = await claim(db, {
            owner,
            now: Date.now(),
            leaseMs: 600_000,
            limit: 2,
            kinds: ['fetch'],
          });
          if (jobs.length === 0) return;
          claimsPerProcess[p] += jobs.length;
          for (const job of jobs) {
            const other = holder.get(job.key);
            if (other) violations.push(`${job.key}: ${owner} claimed it while ${other} held it`);
            holder.set(job.key, owner);
            // Hand control to the others mid-job, as a Graph request would.
            await new Promise((r) => setTimeout(r, Math.random() * 3));
            done.set(job.key, (done.get(job.key) ?? 0) + 1);
            // Released here before the database releases it, so a real double claim is never hidden.
            holder.delete(job.key);
            expect(await finish(db, job, null, Date.now())).toBe(true);
          }
        }
      }

      await Promise.all(
        dbs.flatMap((_, p) => Array.from({ length: WORKERS / processes }, (_, w) => worker(p, w))),
      );
      expect(violations).toEqual([]);
      expect(done.size).toBe(JOBS);
      expect([...done.values()].every((n) => n === 1)).toBe(true);
      expect((await queueStats(dbs[0], Date.now())).depth).toBe(0);
      // All processes took part (the queue was shared, not drained by whoever came first).
      expect(claimsPerProcess.every((n) => n > 0)).toBe(true);
    });
  });
}
