// The privacy ingest transform as a worker thread makes it: the same createPrivacyTransform from the same
// settings (a function cannot be sent to a worker, its settings can).
import { SystemClock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import { createPrivacyTransform, type RecordTransform } from '../privacy/ingest-transform.ts';
import { keyFileOf, loadKeyring } from '../privacy/pseudonym-key.ts';
import type { TransformFactory } from './prepare-pool.ts';

interface Options {
  config: Config;
  tenantId?: string | null;
}

/** Called in each worker (by name, from the factory below). */
export function makePrivacyTransform(o: Options): RecordTransform {
  return createPrivacyTransform({ config: o.config, clock: new SystemClock(), tenantId: o.tenantId });
}

/**
 * The factory for importPaths' `transformFactory`, matching createPrivacyTransform({ config, clock: a system
 * clock, tenantId }). When pseudonymizing, the key file is made here first, so workers only ever read it.
 */
export function privacyTransformFactory(config: Config, tenantId?: string | null): TransformFactory {
  if (config.privacy.mode === 'pseudonymize') loadKeyring(keyFileOf(config));
  return {
    module: import.meta.url,
    name: 'makePrivacyTransform',
    options: { config, tenantId } satisfies Options,
  };
}
