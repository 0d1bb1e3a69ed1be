// The service layer's dependencies: the store it reads, the policy settings, the clock, and the audit sink.
import { type Clock, SystemClock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { EuiiRead } from '../privacy/audit.ts';
import type { Store } from '../store/store.ts';

/** One investigator read of end-user identifiable information, as the audit log receives it. */
export type AuditEvent = EuiiRead;

/**
 * Called before EUII is returned; when it throws (the audit log cannot be written), the read fails, so no EUII
 * leaves unaudited.
 */
export type Audit = (event: AuditEvent) => void | Promise<void>;

/** What every question of the service layer (src/service/*.ts) is answered with. */
export interface Service {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly audit: Audit;
}

/** Records nothing: for tests and tools that never read individuals. */
export const noAudit: Audit = () => {};

export interface ServiceOptions {
  store: Store;
  config: Config;
  clock?: Clock;
  /**
   * Where reads of individuals are recorded: in production the store's audit log (createAuditSink of
   * src/privacy/audit.ts, users written as their pseudonym tokens). Required, so no transport forgets it.
   */
  audit: Audit;
}

export function createService(o: ServiceOptions): Service {
  return { store: o.store, config: o.config, clock: o.clock ?? new SystemClock(), audit: o.audit };
}
