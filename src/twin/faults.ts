// Faults on demand, deterministic from the seed: 5xx bursts, slow answers, timeouts, 429 storms, notification chaos.
import type { Clock } from '../clock/clock.ts';
import { graphErrorResponse, type RequestContext } from './http.ts';
import { createRng, type Rng } from './prng.ts';
import type { RequestKind } from './stats.ts';
import { tooManyRequests } from './throttle.ts';

export interface FaultSettings {
  /** Chance that a Graph request starts a burst of 503/504 answers, and how many requests a burst lasts. */
  serverErrorRate: number;
  serverErrorBurst: number;
  /** Chance of an answer delayed by slowMs (clock time). */
  slowRate: number;
  slowMs: number;
  /** Chance of a request held for timeoutMs and then answered 504 (clients with shorter timeouts give up first). */
  timeoutRate: number;
  timeoutMs: number;
  /**
   * Chance that a request starts a 429 storm: every Graph data request is throttled for throttleStormMs (real
   * time, Retry-After saying how long is left). After a storm the same length passes calm before another can
   * start: storms are phases, as Graph's are, not a state a busy client never gets out of.
   */
  throttleStormRate: number;
  throttleStormMs: number;
  /** Change notifications: dropped, sent twice, or batches sent out of order. */
  dropNotificationRate: number;
  duplicateNotificationRate: number;
  reorderNotifications: boolean;
  /** Chance, each time merges are processed, that a subscription disappears without a lifecycle notification. */
  subscriptionRemovalRate: number;
  /** A new record stays 404 for this long after its first notification. */
  notFoundAfterNotifyMs: number;
}

const none: FaultSettings = {
  serverErrorRate: 0,
  serverErrorBurst: 0,
  slowRate: 0,
  slowMs: 0,
  timeoutRate: 0,
  timeoutMs: 0,
  throttleStormRate: 0,
  throttleStormMs: 0,
  dropNotificationRate: 0,
  duplicateNotificationRate: 0,
  reorderNotifications: false,
  subscriptionRemovalRate: 0,
  notFoundAfterNotifyMs: 0,
};

export const faultProfiles: Record<'none' | 'flaky' | 'storm', FaultSettings> = {
  none,
  flaky: {
    serverErrorRate: 0.02,
    serverErrorBurst: 3,
    slowRate: 0.05,
    slowMs: 2_000,
    timeoutRate: 0.01,
    timeoutMs: 30_000,
    throttleStormRate: 0.002,
    throttleStormMs: 10_000,
    dropNotificationRate: 0.05,
    duplicateNotificationRate: 0.05,
    reorderNotifications: true,
    subscriptionRemovalRate: 0.0005,
    notFoundAfterNotifyMs: 3 * 60_000,
  },
  storm: {
    serverErrorRate: 0.08,
    serverErrorBurst: 6,
    slowRate: 0.15,
    slowMs: 5_000,
    timeoutRate: 0.04,
    timeoutMs: 60_000,
    throttleStormRate: 0.02,
    throttleStormMs: 20_000,
    dropNotificationRate: 0.15,
    duplicateNotificationRate: 0.15,
    reorderNotifications: true,
    subscriptionRemovalRate: 0.003,
    notFoundAfterNotifyMs: 10 * 60_000,
  },
};

export function faultSettings(
  faults: 'none' | 'flaky' | 'storm' | Partial<FaultSettings> | undefined,
): FaultSettings {
  if (faults === undefined) return none;
  if (typeof faults === 'string') return faultProfiles[faults];
  return { ...none, ...faults };
}

/** Requests that carry call-record data; tokens, subscriptions and the twin's own routes stay clean. */
const dataKinds = new Set<RequestKind>(['list', 'record', 'sessions', 'participants', 'pstn']);

export class FaultInjector {
  private readonly rng: Rng;
  private burstLeft = 0;
  private stormUntil = 0;
  private readonly hidden = new Map<string, number>();

  constructor(
    private readonly settings: FaultSettings,
    /** Graph's real time: storms, slow and timeout answers last real seconds (record visibility is the world's). */
    private readonly clock: Clock,
    seed: number,
  ) {
    this.rng = createRng(seed, 'faults');
  }

  /** A fault answer for this request, or null to serve it normally (possibly after a delay). */
  async before(kind: RequestKind, ctx: RequestContext): Promise<Response | null> {
    if (!dataKinds.has(kind)) return null;
    const s = this.settings;
    const now = this.clock.now();
    if (now < this.stormUntil) return tooManyRequests(ctx, Math.ceil((this.stormUntil - now) / 1000));
    const calm = now >= this.stormUntil + s.throttleStormMs;
    if (calm && s.throttleStormRate > 0 && this.rng.chance(s.throttleStormRate)) {
      this.stormUntil = now + s.throttleStormMs;
      return tooManyRequests(ctx, Math.ceil(s.throttleStormMs / 1000));
    }
    if (this.burstLeft === 0 && s.serverErrorRate > 0 && this.rng.chance(s.serverErrorRate))
      this.burstLeft = s.serverErrorBurst;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      if (this.rng.chance(0.5))
        return graphErrorResponse(
          ctx,
          504,
          'gatewayTimeout',
          'The gateway did not receive a timely response from the service.',
        );
      const retry: Record<string, string> = this.rng.chance(0.5)
        ? { 'retry-after': String(this.rng.int(1, 10)) }
        : {};
      return graphErrorResponse(
        ctx,
        503,
        'serviceNotAvailable',
        'The service is temporarily unavailable. Try again later.',
        retry,
      );
    }
    if (s.timeoutRate > 0 && this.rng.chance(s.timeoutRate)) {
      await this.clock.sleep(s.timeoutMs);
      return graphErrorResponse(ctx, 504, 'gatewayTimeout', 'The request timed out.');
    }
    if (s.slowRate > 0 && this.rng.chance(s.slowRate)) await this.clock.sleep(s.slowMs);
    return null;
  }

  /** Starts a 429 storm now for ms (`POST /_twin/control {"stormSeconds": n}`): tests that need one at a known time. */
  startStorm(ms: number): void {
    this.stormUntil = Math.max(this.stormUntil, this.clock.now() + ms);
  }

  /** A record's first notification went out; it may stay unreadable for a while. */
  noteNotified(callId: string, tenantId: string, version: number, now: number): void {
    if (version === 1 && this.settings.notFoundAfterNotifyMs > 0)
      this.hidden.set(`${tenantId}/${callId}`, now + this.settings.notFoundAfterNotifyMs);
  }

  hidesRecord(callId: string, tenantId: string, now: number): boolean {
    const until = this.hidden.get(`${tenantId}/${callId}`);
    if (until === undefined) return false;
    if (now < until) return true;
    this.hidden.delete(`${tenantId}/${callId}`);
    return false;
  }

  removesSubscription(): boolean {
    return (
      this.settings.subscriptionRemovalRate > 0 && this.rng.chance(this.settings.subscriptionRemovalRate)
    );
  }

  /**
   * Splits notifications into batches, dropping and duplicating as configured; with reordering, each batch also
   * gets a random hold-back so later notifications can overtake earlier ones.
   */
  shapeBatches<T>(items: T[], size: number): Array<{ items: T[]; delayMs: number }> {
    const s = this.settings;
    const kept: T[] = [];
    for (const item of items) {
      if (s.dropNotificationRate > 0 && this.rng.chance(s.dropNotificationRate)) continue;
      kept.push(item);
      if (s.duplicateNotificationRate > 0 && this.rng.chance(s.duplicateNotificationRate)) kept.push(item);
    }
    if (s.reorderNotifications)
      for (let i = kept.length - 1; i > 0; i--) {
        const j = this.rng.int(0, i);
        [kept[i], kept[j]] = [kept[j], kept[i]];
      }
    const out: Array<{ items: T[]; delayMs: number }> = [];
    for (let i = 0; i < kept.length; i += size)
      out.push({
        items: kept.slice(i, i + size),
        delayMs: s.reorderNotifications ? this.rng.int(0, 10 * 60_000) : 0,
      });
    return out;
  }
}
