// Lasting trouble the alert rules watch (Graph answering only 429/5xx, tokens refused, the PSTN pull failing):
// written to the collector state when it starts and when it ends, never per request.
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import type { CollectorStateRepository } from '../store/collector-state.ts';

export type TroubleKind = 'graphTrouble' | 'authTrouble' | 'pstnTrouble';

export interface TroubleMarks {
  /** A failure: starts the trouble unless it already runs (its start time is kept, across restarts too). */
  failing(kind: TroubleKind, message: string): void;
  /** A success: ends the trouble. */
  ok(kind: TroubleKind): void;
  /** Resolves once every write so far is done (tests, stop). */
  flush(): Promise<void>;
}

export function createTroubleMarks(
  state: CollectorStateRepository,
  clock: Clock,
  logger: Logger,
): TroubleMarks {
  const known = new Map<TroubleKind, boolean>();
  let writes: Promise<void> = Promise.resolve();
  const queue = (fn: () => Promise<void>) => {
    writes = writes.then(fn).catch((err) => {
      logger.debug({ problem: (err as Error).message }, 'could not record collector trouble');
    });
  };
  return {
    failing(kind, message) {
      if (known.get(kind) === true) return;
      known.set(kind, true);
      queue(async () => {
        if ((await state.read())[kind]) return;
        const now = clock.now();
        await state.write({ [kind]: { since: now, message } }, now);
      });
    },
    ok(kind) {
      if (known.get(kind) === false) return;
      known.set(kind, false);
      queue(async () => {
        const now = clock.now();
        await state.write({ [kind]: null }, now);
      });
    },
    flush: () => writes,
  };
}

/** Graph statuses that mean "not answering": throttled, server errors, no answer at all. */
export function isGraphTrouble(status: string): boolean {
  return status === '429' || status === 'timeout' || status === 'network' || /^5\d\d$/.test(status);
}

/** Statuses that are real answers (the record may be missing; Graph still works). */
export function isGraphAnswer(status: string): boolean {
  return /^2\d\d$/.test(status) || status === '404';
}
