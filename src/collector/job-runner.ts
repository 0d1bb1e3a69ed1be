// The worker loop: plans persisted notifications, claims due jobs, runs them a few at a time, sleeps until work is due.
import type { TimerHandle } from '../clock/clock.ts';
import type { ClaimedJob } from '../store/work-queue.ts';
import type { CollectorContext } from './context.ts';
import { planInbox } from './planner.ts';

export type JobHandler = (ctx: CollectorContext, job: ClaimedJob) => Promise<void>;

export interface JobRunnerOptions {
  handlers: Record<string, JobHandler>;
  /** Whether this process may claim jobs of a kind now (the subscription: only the leader). Default: all. */
  claimable?: (kind: string) => boolean;
  concurrency: number;
  /** Look for work queued by other processes at least this often (clock ms). */
  pollMs: number;
}

/** How long stop() gives running jobs to end on the aborted signal before it releases their leases anyway. */
const stopGraceMs = 2000;

export class JobRunner {
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private held = new Map<Promise<void>, ClaimedJob>();
  private wakeUp: (() => void) | undefined;
  private pokes = 0;
  private loopDone: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private idle = false;

  constructor(
    private readonly ctx: CollectorContext,
    private readonly options: JobRunnerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** New work may be due: look now rather than at the next poll. */
  nudge(): void {
    this.pokes++;
    this.idle = false;
    this.wakeUp?.();
  }

  get active(): number {
    return this.inFlight.size;
  }

  /** Resolves once nothing is due now: inbox planned, no due job, nothing running. */
  whenIdle(): Promise<void> {
    if (this.idle && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops claiming and ends the loop. Running jobs see the collector's signal aborted (stop() is called after it
   * is), so their waits end; those that do not end within a grace period are not awaited: their jobs are released
   * (due as they were, for the next run or another collector) and the job's late end changes nothing.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    this.markIdle();
    await this.loopDone;
    const running = [...this.inFlight];
    if (running.length === 0) return;
    let timer: TimerHandle | undefined;
    const grace = new Promise<void>((r) => {
      timer = this.ctx.clock.setTimeout(r, stopGraceMs);
    });
    await Promise.race([Promise.allSettled(running), grace]);
    this.ctx.clock.clearTimeout(timer);
    const now = this.ctx.clock.now();
    for (const job of this.held.values())
      await this.ctx.store.workQueue.release(job, now).catch(() => undefined);
    this.held.clear();
  }

  private async loop(): Promise<void> {
    const { ctx, options } = this;
    // A stop (the signal aborted) ends claiming at once; stop() then releases what is still held.
    while (this.running && !ctx.signal.aborted) {
      // One macrotask turn per pass: with an in-process store and Graph every await below can be a microtask,
      // and a job that falls due again at once must not starve timers and I/O.
      await new Promise<void>((r) => setImmediate(r));
      const kinds = Object.keys(options.handlers).filter((k) => options.claimable?.(k) ?? true);
      const pokesBefore = this.pokes;
      let claimed: ClaimedJob[] = [];
      try {
        while ((await planInbox(ctx)).processed > 0) {
          // keep going until the inbox is empty
        }
        const free = options.concurrency - this.inFlight.size;
        if (free > 0)
          claimed = await ctx.store.workQueue.claim({
            owner: ctx.owner,
            now: ctx.clock.now(),
            leaseMs: ctx.settings.leaseMs,
            limit: free,
            kinds,
          });
      } catch (err) {
        if (!this.running) break;
        ctx.logger.error({ problem: (err as Error).message }, 'job loop: store error; retrying');
        await ctx.clock.sleep(1000, ctx.signal).catch(() => undefined);
        continue;
      }
      for (const job of claimed) this.dispatch(job);
      if (claimed.length > 0 && this.inFlight.size < options.concurrency) continue;
      if (!this.running) break;
      await this.sleep(pokesBefore, kinds, claimed.length === 0);
    }
    // Whoever waits for idle (a --once run's drain) is not left waiting for a loop that has ended.
    this.markIdle();
  }

  private markIdle(): void {
    this.idle = true;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private dispatch(job: ClaimedJob): void {
    const { ctx } = this;
    const handler = this.options.handlers[job.kind];
    const renew = this.keepLease(job);
    const run = (async () => {
      try {
        await handler(ctx, job);
      } catch (err) {
        const now = ctx.clock.now();
        if (ctx.signal.aborted) {
          // Stopped mid-job: nothing failed, the job is given back as it was.
          await ctx.store.workQueue.release(job, now).catch(() => undefined);
          return;
        }
        ctx.logger.error({ kind: job.kind, key: job.key, problem: (err as Error).message }, 'job failed');
        await ctx.store.workQueue.fail(job, now + 60_000, (err as Error).message, now).catch(() => undefined);
      } finally {
        renew.stop();
      }
    })();
    this.inFlight.add(run);
    this.held.set(run, job);
    void run.finally(() => {
      this.inFlight.delete(run);
      this.held.delete(run);
      this.wakeUp?.();
    });
  }

  /**
   * Extends the job's lease every third of it while the job runs: a record behind a long throttle must not look
   * abandoned to another collector (which would fetch it a second time).
   */
  private keepLease(job: ClaimedJob): { stop(): void } {
    const { clock, settings, store } = this.ctx;
    const every = Math.max(1000, Math.floor(settings.leaseMs / 3));
    let timer: TimerHandle | undefined;
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      const now = clock.now();
      void store.workQueue
        .extendLease(job, now + settings.leaseMs, now)
        .catch(() => false)
        .finally(() => {
          if (!stopped) timer = clock.setTimeout(tick, every);
        });
    };
    timer = clock.setTimeout(tick, every);
    return {
      stop() {
        stopped = true;
        clock.clearTimeout(timer);
      },
    };
  }

  /** Sleeps until the next job is due, a poll is due, a nudge comes, or a running job ends. */
  private async sleep(pokesBefore: number, kinds: string[], foundNothing: boolean): Promise<void> {
    if (this.pokes !== pokesBefore) return;
    const { clock } = this.ctx;
    let due: number | null = null;
    try {
      due = await this.ctx.store.workQueue.nextDueAt(kinds);
    } catch {
      due = null;
    }
    if (this.pokes !== pokesBefore || !this.running) return;
    const now = clock.now();
    // Due jobs we could not claim are held by a worker (ours: its end wakes us; another process's: poll).
    const ms = due === null || due <= now ? this.options.pollMs : Math.min(this.options.pollMs, due - now);
    let timer: TimerHandle | undefined;
    const { signal } = this.ctx;
    await new Promise<void>((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', wake);
        // Awake means busy until the next pass finds nothing due (drain() waits for that).
        this.idle = false;
        resolve();
      };
      this.wakeUp = wake;
      signal.addEventListener('abort', wake, { once: true });
      timer = clock.setTimeout(wake, ms);
      // Idle only once parked on the timer: a test clock moved before this point would otherwise skip it.
      if (foundNothing && this.inFlight.size === 0) this.markIdle();
    });
    this.wakeUp = undefined;
    clock.clearTimeout(timer);
  }
}
