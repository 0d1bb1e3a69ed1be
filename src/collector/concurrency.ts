// Adaptive concurrency for Graph (AIMD): halve on throttling, grow by one per window of successes, pause on Retry-After.
import type { Clock } from '../clock/clock.ts';

export interface AimdOptions {
  initial?: number;
  min?: number;
  max?: number;
}

export class AimdLimiter {
  private limitValue: number;
  private readonly min: number;
  private readonly max: number;
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private pausedUntil = 0;
  private pauseTimer: ReturnType<Clock['setTimeout']> | undefined;
  /** Requests started before the last decrease do not decrease again (one burst of 429s = one halving). */
  private epoch = 0;

  constructor(
    private readonly clock: Clock,
    options: AimdOptions = {},
  ) {
    this.min = options.min ?? 1;
    this.max = options.max ?? 16;
    this.limitValue = Math.min(this.max, Math.max(this.min, options.initial ?? 4));
  }

  get limit(): number {
    return Math.floor(this.limitValue);
  }
  /** Requests held back only by a Retry-After pause (they wait for the clock, nothing else). */
  get pausedWaiters(): number {
    return this.clock.now() < this.pausedUntil ? this.waiters.length : 0;
  }

  get active(): number {
    return this.inFlight;
  }

  /**
   * Waits for a slot; returns the epoch the request started in (hand it back to onThrottled). Rejects with the
   * signal's reason when it aborts (the process stops): nobody waits out a Retry-After on the way out.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (this.clock.now() >= this.pausedUntil && this.inFlight < Math.floor(this.limitValue)) {
        this.inFlight++;
        return this.epoch;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Ends the pause timer (the process stops): it must not keep the process alive. */
  close(): void {
    this.clock.clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    this.wake();
  }

  release(): void {
    this.inFlight--;
    this.wake();
  }

  onSuccess(): void {
    this.limitValue = Math.min(this.max, this.limitValue + 1 / Math.max(1, this.limitValue));
  }

  /** A 429: halve (once per burst) and hold every new request until retryAfterMs has passed. */
  onThrottled(startedEpoch: number, retryAfterMs: number): void {
    if (startedEpoch === this.epoch) {
      this.limitValue = Math.max(this.min, this.limitValue / 2);
      this.epoch++;
    }
    this.pauseFor(retryAfterMs);
  }

  pauseFor(ms: number): void {
    const until = this.clock.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.clock.clearTimeout(this.pauseTimer);
    this.pauseTimer = this.clock.setTimeout(() => {
      this.pauseTimer = undefined;
      this.wake();
    }, ms);
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
