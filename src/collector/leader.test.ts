// Leader election: one leader among collector processes on PostgreSQL, handed over on stop, on a lost session
// and on SIGKILL of the leading process; on SQLite the one process always leads.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.ts';
import { silentLogger } from '../config/logger.ts';
import { createCollectorLocks } from '../store/collector-locks.ts';
import type { Db } from '../store/db.ts';
import { PostgresDb } from '../store/postgres/postgres-db.ts';
import { testDatabases } from '../store/test-stores.ts';
import { createLeadership, type Leadership } from './leader.ts';

async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  limitMs = 15_000,
): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const clock = new SystemClock();
const elect = (db: Db, name: string) =>
  createLeadership({
    locks: createCollectorLocks(db),
    clock,
    logger: silentLogger,
    name,
    retryMs: 30,
    checkMs: 30,
  });

for (const database of await testDatabases()) {
  describe(`collector leadership (${database.name})`, () => {
    let dbs: Db[] = [];
    let url: string;
    let dispose: () => Promise<void>;
    let running: Leadership[] = [];
    // A lock name per test: all tests share one PostgreSQL database, and advisory locks are database-wide.
    let lockName: string;
    beforeEach(async (t) => {
      const opened = await database.open();
      url = opened.url;
      dbs = [opened.db];
      dispose = opened.dispose;
      running = [];
      lockName = `test-${process.pid}-${t.task.id}`;
    });
    afterEach(async () => {
      await Promise.all(running.map((l) => l.stop()));
      await Promise.all(dbs.slice(1).map((db) => db.close()));
      await dispose();
    });

    if (database.name === 'sqlite') {
      it('is always the leader: one process per SQLite file', async () => {
        const l = elect(dbs[0], lockName);
        running.push(l);
        const seen: boolean[] = [];
        l.onChange((v) => {
          seen.push(v);
        });
        await l.start();
        expect(l.isLeader()).toBe(true);
        expect(seen).toEqual([true]);
      });
      return;
    }

    it('elects exactly one of three, and hands over when the leader stops or loses its session', async () => {
      for (let i = 1; i < 3; i++) dbs.push(new PostgresDb(url, { poolSize: 3 }));
      running = dbs.map((db) => elect(db, lockName));
      await Promise.all(running.map((l) => l.start()));
      const leaders = () => running.filter((l) => l.isLeader());
      expect(leaders()).toHaveLength(1);

      // An orderly stop releases the lock: another takes over.
      const first = leaders()[0];
      await first.stop();
      await waitFor('a second leader', () => leaders().length === 1);
      const second = leaders()[0];
      expect(second).not.toBe(first);

      // The leader's session is killed (as when its connection dies): it notices, another takes over.
      const pids = await dbs[0].all<{ pid: number }>(
        `SELECT l.pid AS pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2
           AND l.objid = hashtext(?)::oid AND l.granted`,
        [lockName],
      );
      expect(pids).toHaveLength(1);
      await dbs[0].get('SELECT pg_terminate_backend(?)', [pids[0].pid]);
      await waitFor('the old leader to notice', () => !second.isLeader());
      await waitFor('a third leader', () => leaders().length === 1);
      expect(leaders()[0]).not.toBe(second);
    });

    it('takes over from a leading process killed with SIGKILL', async () => {
      const child: ChildProcess = spawn(
        process.execPath,
        ['bin/run-ts.js', 'src/collector/test-leader-child.ts', url, lockName],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        let out = '';
        child.stdout?.on('data', (d) => {
          out += String(d);
        });
        await waitFor('the child to lead', () => out.includes('leader\n'), 30_000);
        const mine = elect(dbs[0], lockName);
        running.push(mine);
        await mine.start();
        expect(mine.isLeader()).toBe(false);
        child.kill('SIGKILL');
        await waitFor('leadership to pass to this process', () => mine.isLeader());
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
}
