// Injected time: the system clock in production, a manual clock in tests, a scaled clock for the twin's --speed.

export interface TimerHandle {
  readonly id: number;
}

export interface TimerOptions {
  /**
   * Let the process end while this timer waits (background upkeep only). By default a timer keeps the process
   * alive: a retry wait that is all that is left to do must not let Node exit (exit code 13) mid-work.
   */
  unref?: boolean;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  /** Resolves after ms of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Real time. */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private next = 1;
  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number, options: TimerOptions = {}): TimerHandle {
    const id = this.next++;
    const t = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, ms),
    );
    if (options.unref) t.unref();
    this.timers.set(id, t);
    return { id };
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    clearTimeout(this.timers.get(handle.id));
    this.timers.delete(handle.id);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}

/** Simulated time running `speed` times faster than real time from `start` (the twin's --speed). */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  private readonly inner = new SystemClock();
  constructor(
    private readonly start: number,
    private readonly speed: number,
  ) {}
  now(): number {
    return this.speed === 0 ? this.start : this.start + (Date.now() - this.realStart) * this.speed;
  }
  setTimeout(fn: () => void, ms: number, options: TimerOptions = {}): TimerHandle {
    // With time frozen, timers never fire (that is what --speed 0 means): no real timer, nothing kept alive.
    if (this.speed === 0) return { id: 0 };
    return this.inner.setTimeout(fn, ms / this.speed, options);
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle?.id) this.inner.clearTimeout(handle);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}

interface PendingTimer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
}

/** Lets real I/O and promise chains progress between simulated timer firings. */
async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Test time: moves only when told to, firing due timers in order and letting async work settle between them. */
export class ManualClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(start: number | Date = Date.UTC(2026, 0, 5, 8, 0, 0)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, due: this.current + Math.max(0, ms), seq: this.seq++, fn });
    return { id };
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers = this.timers.filter((t) => t.id !== handle.id);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
  /** Number of timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** Advances by ms, firing every timer that falls due on the way, each at its own time. */
  async advance(ms: number, settleRounds = 3): Promise<void> {
    const target = this.current + ms;
    await settle(settleRounds);
    for (;;) {
      const due = this.timers
        .filter((t) => t.due <= target)
        .sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.due);
      due.fn();
      await settle(settleRounds);
    }
    this.current = target;
  }

  /** Advances in steps until predicate holds or maxMs of simulated time has passed; returns whether it held. */
  async advanceUntil(
    predicate: () => boolean | Promise<boolean>,
    stepMs: number,
    maxMs: number,
  ): Promise<boolean> {
    for (let spent = 0; spent <= maxMs; spent += stepMs) {
      if (await predicate()) return true;
      await this.advance(stepMs);
    }
    return predicate();
  }
}
