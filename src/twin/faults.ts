// Faults on demand (placeholder until the fault slice lands): none are injected.
import type { RequestContext } from './http.ts';
import type { RequestKind } from './stats.ts';

/** Per-test fault settings (filled in by the fault slice). */
export type FaultSettings = Record<string, never>;

export class FaultInjector {
  async before(_kind: RequestKind, _ctx: RequestContext): Promise<Response | null> {
    return null;
  }
  removesSubscription(): boolean {
    return false;
  }
  noteNotified(_callId: string, _tenantId: string, _now: number): void {}
  shapeBatches<T>(items: T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  }
}
