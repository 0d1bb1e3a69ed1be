// Leader election among collector processes sharing one database: exactly one at a time owns the singleton
// duties (the subscription: create, renew, recreate); when its process dies, another takes over within a retry.
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import type { CollectorLocks } from '../store/collector-locks.ts';
import type { SessionLock } from '../store/db.ts';

export interface LeadershipOptions {
  /** Where the lock is taken (Store.collectorLocks). */
  locks: Pick<CollectorLocks, 'trySession'>;
  clock: Clock;
  logger: Logger;
  /** Names the lock: processes contending for the same name elect one leader. */
  name?: string;
  /** How often a follower tries to become leader (clock ms). Also bounds the hand-over after a crash. */
  retryMs?: number;
  /** How often the leader proves its session (and so its lock) is still alive (clock ms). */
  checkMs?: number;
}

export interface Leadership {
  isLeader(): boolean;
  /** Called with true on becoming leader, false on losing it (awaited in order; errors are logged). */
  onChange(fn: (leader: boolean) => void | Promise<void>): void;
  /** First attempt (resolves once it is decided whether this process leads), then keeps trying or checking. */
  start(): Promise<void>;
  /** Gives up leadership (the lock is released for the next one) and stops trying. */
  stop(): Promise<void>;
}

/**
 * On PostgreSQL the lock is a session advisory lock on a connection of its own: the database itself frees
 * it when the holder's connection ends (crash, SIGKILL, network loss), with no lease to wait out. On SQLite,
 * one process per file, this process is always the leader.
 */
export function createLeadership(o: LeadershipOptions): Leadership {
  const name = o.name ?? 'collector-leader';
  const retryMs = o.retryMs ?? 5_000;
  const checkMs = o.checkMs ?? 5_000;
  const listeners: ((leader: boolean) => void | Promise<void>)[] = [];
  let lock: SessionLock | null = null;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let changes: Promise<void> = Promise.resolve();

  const announce = (leader: boolean) => {
    o.logger.info(
      { lock: name },
      leader ? 'this collector is now the leader' : 'this collector lost leadership',
    );
    changes = changes.then(async () => {
      for (const fn of listeners) {
        try {
          await fn(leader);
        } catch (err) {
          o.logger.error({ problem: (err as Error).message }, 'leadership change handler failed');
        }
      }
    });
  };

  const lose = () => {
    if (!lock) return;
    const old = lock;
    lock = null;
    void old.release().catch(() => undefined);
    announce(false);
    schedule(retryMs);
  };

  const attempt = async () => {
    try {
      const got = await o.locks.trySession(name);
      if (stopped) {
        await got?.release();
        return;
      }
      if (got) {
        lock = got;
        got.onLost(() => lose());
        announce(true);
      }
    } catch (err) {
      o.logger.warn({ problem: (err as Error).message }, 'leader election: database error; retrying');
    }
  };

  const tick = async () => {
    if (stopped) return;
    if (lock) {
      if (!(await lock.check())) return lose();
      schedule(checkMs);
    } else {
      await attempt();
      schedule(lock ? checkMs : retryMs);
    }
  };

  function schedule(ms: number) {
    if (stopped) return;
    o.clock.clearTimeout(timer);
    timer = o.clock.setTimeout(() => void tick(), ms);
  }

  return {
    isLeader: () => lock !== null,
    onChange(fn) {
      listeners.push(fn);
    },
    async start() {
      stopped = false;
      await attempt();
      await changes;
      schedule(lock ? checkMs : retryMs);
    },
    async stop() {
      stopped = true;
      o.clock.clearTimeout(timer);
      if (lock) {
        const old = lock;
        lock = null;
        await old.release().catch(() => undefined);
      }
      await changes;
    },
  };
}
