// Test support: hand-made streams (each a set of dimension values, poor or not, a user) counted the way the quality
// query engine counts them, so attribution can be checked on data whose answer is known by construction.
import { type CauseCounts, type Group, outsideByGroups, type Scope, type Where } from './cause-groups.ts';
import type { Tally } from './cause-stats.ts';
import type { Dimension } from './quality-query.ts';

export interface TestStream {
  values: Partial<Record<Dimension, string>>;
  poor: boolean;
  user: string;
  /** The poor reason measure it crossed (when poor). */
  reason?: string;
  /** Its call never set up / set up and dropped. */
  setupFailed?: boolean;
  dropped?: boolean;
}

/** `count` streams with the same values, `poor` of them poor, spread over `users` users. */
export function streams(
  count: number,
  poor: number,
  values: Partial<Record<Dimension, string>>,
  o: { users?: number; userPrefix?: string; reason?: string; setupFailed?: number; dropped?: number } = {},
): TestStream[] {
  const users = o.users ?? Math.max(1, Math.ceil(count / 10));
  // Failures are the last streams: the last `setupFailed` never set up, the `dropped` before them dropped.
  const setupFrom = count - (o.setupFailed ?? 0);
  const dropFrom = setupFrom - (o.dropped ?? 0);
  return Array.from({ length: count }, (_, i) => ({
    values: { 'media-type': 'audio', ...values },
    poor: i < poor,
    user: `${o.userPrefix ?? JSON.stringify(values)}#${i % users}`,
    reason: i < poor ? (o.reason ?? 'poorDueToJitter') : undefined,
    setupFailed: i >= setupFrom,
    dropped: i >= dropFrom && i < setupFrom,
  }));
}

function inScope(s: TestStream, scope: Scope): boolean {
  return Object.entries(scope.filters).every(
    ([d, vs]) => !vs?.length || vs.includes(s.values[d as Dimension] ?? ''),
  );
}

function groupOf(list: TestStream[], dimensions: Dimension[], values: string[]): Group {
  const reasons: Record<string, number> = {};
  for (const s of list) if (s.poor && s.reason) reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
  return {
    dimensions,
    values,
    n: list.length,
    k: list.filter((s) => s.poor).length,
    streams: list.length,
    users: new Set(list.map((s) => s.user)).size,
    setupFailed: list.filter((s) => s.setupFailed).length,
    dropped: list.filter((s) => s.dropped).length,
    reasons,
  };
}

export function testCounts(all: TestStream[]): CauseCounts & { queries: number } {
  const counts = {
    queries: 0,
    async groups(scope: Scope, by: Dimension[], keepUnknown = false) {
      counts.queries++;
      const byKey = new Map<string, TestStream[]>();
      for (const s of all.filter((x) => inScope(x, scope))) {
        const vs = by.map((d) => s.values[d] ?? '');
        if (vs.includes('') && !keepUnknown) continue;
        const key = JSON.stringify(vs);
        const list = byKey.get(key);
        // Pushed, not copied: a test may count hundreds of thousands of streams in one group.
        if (list) list.push(s);
        else byKey.set(key, [s]);
      }
      return [...byKey].map(([key, list]) => groupOf(list, by, JSON.parse(key) as string[]));
    },
    async total(scope: Scope) {
      counts.queries++;
      return groupOf(
        all.filter((x) => inScope(x, scope)),
        [],
        [],
      );
    },
    async cross(scope: Scope, a: Dimension, b: Dimension) {
      counts.queries++;
      const out = new Map<string, Tally>();
      for (const s of all.filter((x) => inScope(x, scope))) {
        const va = s.values[a];
        const vb = s.values[b];
        if (!va || !vb) continue;
        const key = `${va}\u0000${vb}`;
        const t = out.get(key) ?? { n: 0, k: 0 };
        t.n++;
        if (s.poor) t.k++;
        out.set(key, t);
      }
      return out;
    },
    outside: (scope: Scope, inside: Where, others: readonly Where[]) =>
      outsideByGroups(counts, scope, inside, others),
  };
  return counts;
}
