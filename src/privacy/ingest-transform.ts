// The privacy hook of the one ingest pipeline: pseudonymizes (privacy.mode) and pre-scrubs expired records.
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import { expirePolicy, pseudonymizePolicy, scrubJson } from './json-scrub.ts';
import { type Keyring, keyFileOf, loadKeyring } from './pseudonym-key.ts';
import { createTokenizer, type Tokenizer } from './pseudonymize.ts';

const DAY = 86_400_000;

export type RecordTransform = (record: Record<string, unknown>) => Record<string, unknown>;

export interface PrivacyTransformOptions {
  config: Config;
  /**
   * A record whose call ended more than euiiDays before the clock's now is stored already scrubbed, as retention
   * would leave it: a late re-fetch or an old export never brings EUII back, not even until the next run.
   */
  clock: Clock;
  /** Whose tokens (default config.tenantId): tokens are stable within a tenant and differ between tenants. */
  tenantId?: string | null;
  /** The key ring (default: privacy.keyFile, read, or created 0600, on first need). */
  keyring?: Keyring;
}

function tokenizerOf(o: PrivacyTransformOptions): () => Tokenizer {
  let tokens: Tokenizer | undefined;
  return () => {
    tokens ??= createTokenizer(
      o.keyring ?? loadKeyring(keyFileOf(o.config), o.clock.now()),
      o.tenantId ?? o.config.tenantId,
    );
    return tokens;
  };
}

/** When a record's call ended (its start when it has no end): what its age is counted from. */
export function recordEnd(record: Record<string, unknown>): number | undefined {
  for (const key of ['endDateTime', 'startDateTime']) {
    const v = record[key];
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/**
 * The transform for `ingestRecord(store, json, { transform })`: in `pseudonymize` mode identifiers become
 * keyed tokens, addresses their /24 (/48), names and free text are dropped, before anything is parsed or
 * stored (raw versions included). Pure: the input object is never changed.
 */
export function createPrivacyTransform(o: PrivacyTransformOptions): RecordTransform {
  const tokens = tokenizerOf(o);
  const pseudonymize = o.config.privacy.mode === 'pseudonymize';
  const lapse = o.config.privacy.euiiDays * DAY;
  return (record) => {
    let out = record;
    if (pseudonymize) out = scrubJson(out, 'record', pseudonymizePolicy(tokens()));
    const end = recordEnd(out);
    if (end !== undefined && end < o.clock.now() - lapse)
      out = scrubJson(out, 'record', expirePolicy(tokens()));
    return out;
  };
}

export type PstnRowKind = 'pstn' | 'directRouting';

/**
 * The same for PSTN and Direct Routing log rows (the collector's getPstnCalls/getDirectRoutingCalls path): in
 * `pseudonymize` mode user ids, UPNs and phone numbers become tokens, names are dropped, client IPs truncated.
 */
export function createPstnRowTransform(
  o: PrivacyTransformOptions,
): <T extends object>(row: T, kind: PstnRowKind) => T {
  const tokens = tokenizerOf(o);
  const pseudonymize = o.config.privacy.mode === 'pseudonymize';
  return (row, kind) =>
    pseudonymize
      ? scrubJson(row, kind === 'pstn' ? 'pstnRow' : 'directRoutingRow', pseudonymizePolicy(tokens()))
      : row;
}
