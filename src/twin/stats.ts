// Request counts by kind and status, served at /_twin/stats so tests and benchmarks can see what the collector did.

export type RequestKind =
  | 'token'
  | 'metadata'
  | 'list'
  | 'record'
  | 'sessions'
  | 'participants'
  | 'pstn'
  | 'subscription'
  | 'notification'
  | 'lifecycle'
  | 'validation'
  | 'twin'
  | 'other';

export class Stats {
  private readonly counts = new Map<RequestKind, Map<number, number>>();

  record(kind: RequestKind, status: number): void {
    let byStatus = this.counts.get(kind);
    if (!byStatus) {
      byStatus = new Map();
      this.counts.set(kind, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** Requests of a kind, optionally only those answered with `status`. */
  count(kind: RequestKind, status?: number): number {
    const byStatus = this.counts.get(kind);
    if (!byStatus) return 0;
    if (status !== undefined) return byStatus.get(status) ?? 0;
    let n = 0;
    for (const v of byStatus.values()) n += v;
    return n;
  }

  toJSON(): { requests: Record<string, Record<string, number>>; total: number } {
    const requests: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const [kind, byStatus] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      requests[kind] = {};
      for (const [status, n] of [...byStatus].sort(([a], [b]) => a - b)) {
        requests[kind][String(status)] = n;
        total += n;
      }
    }
    return { requests, total };
  }
}
