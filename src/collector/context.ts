// What every part of the running collector shares: store, Graph client, clock, logger, settings, metrics.
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import { missingParts } from '../graph/completeness.ts';
import { type IngestMeta, ingestRecord } from '../ingest/ingest-record.ts';
import type { SaveOutcome } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { RecordFetcher } from './fetch-record.ts';
import type { GraphClient } from './graph-client.ts';
import type { CollectorMetrics } from './metrics.ts';

export interface CollectorSettings {
  tenantId: string;
  /** 'planned' (the version planner) or 'naive' (fetch on every notification; the bench's baseline). */
  strategy: 'planned' | 'naive';
  settleMs: number;
  finalHorizonMs: number;
  reconcileEveryMs: number;
  /** How far back (by call start) each scheduled reconciliation lists. */
  reconcileLookbackMs: number;
  /** Final-horizon checks are batched: due ones are listed at most this often (fewer, fuller list pages). */
  finalCheckEveryMs: number;
  /** How often the subscription is checked for existence (outages remove them without notice). */
  subscriptionCheckMs: number;
  /** Renew the subscription once less than this remains. */
  renewWhenRemainingMs: number;
  notificationUrl?: string;
  leaseMs: number;
  /** Jobs worked on at once (Graph concurrency adapts separately, below this). */
  workers: number;
  /** A record still 404 this long after it was first announced is given up (logged). */
  missingGiveUpMs: number;
  /** First wait after a fetch failed beyond the client's retries (doubling per attempt, at most 30 min). */
  failureRetryBaseMs: number;
  /** Pull PSTN and Direct Routing logs daily. */
  pstn: boolean;
}

/** Where fetched records go: the one ingest pipeline, in production. */
export interface RecordSink {
  storedVersion(id: string): Promise<number | null>;
  /** The privacy hook for PSTN/Direct Routing log rows (pseudonymize mode), applied before they are stored. */
  logRow?: <T extends object>(row: T, kind: 'pstn' | 'directRouting') => T;
  save(
    json: Record<string, unknown>,
    receivedAt: number,
  ): Promise<{ id: string; version: number; outcome: SaveOutcome }>;
}

export interface CollectorContext {
  store: Store;
  client: GraphClient;
  fetcher: RecordFetcher;
  sink: RecordSink;
  clock: Clock;
  logger: Logger;
  settings: CollectorSettings;
  metrics: CollectorMetrics;
  /** Names this process in job leases. */
  owner: string;
  /** Aborted when the collector stops (the process's SIGINT/SIGTERM, or stop()): every wait ends on it. */
  signal: AbortSignal;
  /** Wakes the job loop: new due work was queued. */
  nudge(): void;
}

export function ingestSink(
  store: Store,
  tenantId: string,
  /** The privacy hook (src/privacy createPrivacyTransform): applied before anything is stored. */
  transform?: IngestMeta['transform'],
  logRow?: RecordSink['logRow'],
  /** Where impossible values nulled at ingest are reported (the messages carry no text values). */
  logger?: Logger,
): RecordSink {
  return {
    logRow,
    async storedVersion(id) {
      const version = await store.records.storedVersion(id);
      if (version === undefined) return null;
      // Stored by an import from a list page or a plain GET (no sessions, pages cut off): not whole, so it
      // counts as not stored and is fetched whole. Only records this collector never stored itself get here.
      const raw = await store.records.rawJson(id, version);
      return raw && missingParts(raw).length > 0 ? null : version;
    },
    async save(json, receivedAt) {
      const result = await ingestRecord(store, json, { source: 'graph', tenantId, receivedAt, transform });
      for (const warning of result.warnings)
        logger?.warn(
          { recordId: result.id, version: result.version, warning },
          'impossible value stored as null',
        );
      return result;
    },
  };
}

/**
 * A --once run (backfill, cron) works until its list is stored: what it listed is fetched at once (no settle
 * window: the list is what Graph has), a failed fetch is tried again after seconds, not minutes, and a listed
 * record Graph keeps answering 404 for is given up after minutes (and reported), not hours.
 */
export const onceSettings: Partial<CollectorSettings> = {
  settleMs: 0,
  failureRetryBaseMs: 5_000,
  missingGiveUpMs: 5 * 60_000,
};

export function settingsFromConfig(
  config: Config,
  overrides: Partial<CollectorSettings> = {},
): CollectorSettings {
  const p = config.planner;
  return {
    tenantId: config.tenantId ?? '',
    strategy: 'planned',
    settleMs: p.settleSeconds * 1000,
    finalHorizonMs: p.finalHorizonSeconds * 1000,
    reconcileEveryMs: p.reconcileEverySeconds * 1000,
    reconcileLookbackMs: p.reconcileLookbackSeconds * 1000,
    subscriptionCheckMs: 3600_000,
    renewWhenRemainingMs: 36 * 3600_000,
    notificationUrl: config.notificationUrl,
    leaseMs: 5 * 60_000,
    workers: 8,
    missingGiveUpMs: 6 * 3600_000,
    failureRetryBaseMs: 60_000,
    finalCheckEveryMs: 3 * 3600_000,
    pstn: true,
    ...overrides,
  };
}
