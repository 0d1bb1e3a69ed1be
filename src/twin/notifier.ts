// Delivers webhook POSTs (validation handshakes, change and lifecycle notifications) with Graph's time limits.
import { fetch as undiciFetch } from 'undici';
import type { Clock } from '../clock/clock.ts';
import type { NotifyFn } from './twin-types.ts';

export interface Delivery {
  /** HTTP status, or 0 when the receiver did not answer in time (or at all). */
  status: number;
  body: string;
}

/** Graph's limits: 10 s to answer a validation request, 3 s to accept a notification. */
export const validationTimeoutMs = 10_000;
export const notificationTimeoutMs = 3_000;

/** The default: real HTTP(S) through undici, timed in real time (network latency is real even when the clock is scaled). */
export const networkNotify: NotifyFn = async (url, init) => {
  const res = await undiciFetch(url, {
    method: init.method,
    headers: init.headers,
    body: init.body,
    signal: init.signal,
  });
  return { status: res.status, text: () => res.text() };
};

export class Notifier {
  constructor(
    private readonly clock: Clock,
    private readonly notify: NotifyFn,
    /** Injected notify functions run on the twin's clock; the network one on real time. */
    private readonly onClock: boolean,
  ) {}

  /** POSTs and waits at most timeoutMs; a late answer counts as no answer. */
  async post(url: string, body: string, contentType: string, timeoutMs: number): Promise<Delivery> {
    const abort = new AbortController();
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    let realTimer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Delivery>((resolve) => {
      const fire = () => {
        abort.abort(new Error('the receiver did not answer in time'));
        resolve({ status: 0, body: '' });
      };
      if (this.onClock) timer = this.clock.setTimeout(fire, timeoutMs);
      else realTimer = setTimeout(fire, timeoutMs);
    });
    const attempt = (async (): Promise<Delivery> => {
      try {
        const res = await this.notify(url, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
          signal: abort.signal,
        });
        return { status: res.status, body: await res.text() };
      } catch {
        return { status: 0, body: '' };
      }
    })();
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      this.clock.clearTimeout(timer);
      clearTimeout(realTimer);
    }
  }
}
