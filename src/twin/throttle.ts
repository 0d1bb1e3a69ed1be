// Graph's call-record throttling budgets (sliding windows), answered with 429, Retry-After and TooManyRequests.
import { graphErrorResponse, type RequestContext } from './http.ts';
import type { RequestKind } from './stats.ts';

export interface Budget {
  limit: number;
  windowMs: number;
}

export interface ThrottleBudgets {
  /** Call records (record, sessions, participants, list) per app per tenant. */
  appTenant: Budget;
  /** Requests for any one call record (its sessions and participants pages included). */
  record: Budget;
  /** Listing call records. */
  list: Budget;
  /** PSTN and Direct Routing logs per app per tenant. */
  pstnAppTenant: Budget;
  /** Each PSTN collection (getPstnCalls, getDirectRoutingCalls). */
  pstnCollection: Budget;
}

/** The budgets Microsoft documents for call records and PSTN logs. */
export const graphBudgets: ThrottleBudgets = {
  appTenant: { limit: 1500, windowMs: 20_000 },
  record: { limit: 40, windowMs: 20_000 },
  list: { limit: 40, windowMs: 20_000 },
  pstnAppTenant: { limit: 200, windowMs: 60_000 },
  pstnCollection: { limit: 50, windowMs: 60_000 },
};

const callRecordKinds = new Set<RequestKind>(['list', 'record', 'sessions', 'participants']);

export class Throttle {
  private readonly budgets: ThrottleBudgets;
  /** Accepted request times per budget key (only accepted requests use budget, so honouring Retry-After works). */
  private readonly windows = new Map<string, number[]>();

  constructor(budgets: Partial<ThrottleBudgets> = {}) {
    this.budgets = { ...graphBudgets, ...budgets };
  }

  private scopes(kind: RequestKind, tenantId: string, scope: string | null): Array<[string, Budget]> {
    if (callRecordKinds.has(kind)) {
      const out: Array<[string, Budget]> = [[`app:${tenantId}`, this.budgets.appTenant]];
      if (scope === 'list') out.push([`list:${tenantId}`, this.budgets.list]);
      else if (scope) out.push([`${scope}@${tenantId}`, this.budgets.record]);
      return out;
    }
    if (kind === 'pstn')
      return [
        [`pstn:${tenantId}`, this.budgets.pstnAppTenant],
        [`${scope}@${tenantId}`, this.budgets.pstnCollection],
      ];
    return [];
  }

  /** Null when the request may proceed (and is counted); else a function building the 429 answer. */
  check(
    kind: RequestKind,
    tenantId: string,
    scope: string | null,
    now: number,
  ): ((ctx: RequestContext) => Response) | null {
    const scopes = this.scopes(kind, tenantId, scope);
    let waitMs = 0;
    for (const [key, budget] of scopes) {
      const times = (this.windows.get(key) ?? []).filter((t) => t > now - budget.windowMs);
      this.windows.set(key, times);
      if (times.length >= budget.limit)
        waitMs = Math.max(waitMs, times[times.length - budget.limit] + budget.windowMs - now);
    }
    if (waitMs > 0) return (ctx) => tooManyRequests(ctx, Math.max(1, Math.ceil(waitMs / 1000)));
    for (const [key] of scopes) this.windows.get(key)!.push(now);
    return null;
  }
}

export function tooManyRequests(ctx: RequestContext, retryAfterSeconds: number): Response {
  return graphErrorResponse(
    ctx,
    429,
    'TooManyRequests',
    'Too many requests have been made for this resource. Wait for the number of seconds in Retry-After, then retry.',
    { 'retry-after': String(retryAfterSeconds) },
  );
}
