// What the collector must remember across restarts: its subscription, when things last happened, sync marks.
import type { Db } from './db.ts';

export interface SubscriptionState {
  id: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Shared secret Graph echoes in every notification; compared in constant time, never logged. */
  clientState: string;
  notificationUrl: string;
  createdAt: number;
  renewedAt?: number;
  /** When the collector found it gone (removed by Graph, or expired) and could not yet replace it. */
  removedAt?: number;
}

/** A failure that started at `since` and has not been followed by a success; the message never holds a secret. */
export interface Trouble {
  since: number;
  message: string;
}

export interface CollectorState {
  subscription?: SubscriptionState | null;
  /**
   * clientStates accepted besides the current subscription's: a replaced subscription's until it expires
   * (notifications still in flight), a new one's while its creation is under way.
   */
  otherClientStates?: { clientState: string; until: number }[];
  lastNotificationAt?: number;
  lastValidationAt?: number;
  lastReconcile?: { at: number; from: number; to: number };
  lastFinalCheckAt?: number;
  /** Start times before this have had their final-horizon list (the sweep's progress). */
  finalSweptUntil?: number;
  lastRecordStored?: { at: number; id: string; version: number };
  lastBackfill?: { at: number; since: number; listed: number; enqueued: number };
  /** Day (YYYY-MM-DD, UTC) up to which PSTN / Direct Routing logs have been pulled. */
  pstnSyncedThrough?: string;
  directRoutingSyncedThrough?: string;
  /** Last problem the collector could not fix itself (e.g. the subscription could not be created). */
  lastProblem?: { at: number; message: string } | null;
  startedAt?: number;
  /** Written every minute by a running collector, so `status` can tell whether one runs. */
  heartbeatAt?: number;
  /** When a collector last stopped cleanly (a later heartbeat means another one runs). */
  stoppedAt?: number;
  /**
   * Trouble that lasts (the alert rules read these): Graph answering only 429/5xx, tokens refused, the PSTN pull
   * failing. Set when it starts (since), cleared (null) at the next success.
   */
  graphTrouble?: Trouble | null;
  authTrouble?: Trouble | null;
  pstnTrouble?: Trouble | null;
  /** How the last run was started: a long-running `collect`, or `--once` / `backfill` (cron use). */
  mode?: 'service' | 'once';
}

type Key = keyof CollectorState;

export async function readCollectorState(db: Db): Promise<CollectorState> {
  const rows = await db.all<{ name: string; value: string }>('SELECT name, value FROM collector_state');
  const out: Record<string, unknown> = {};
  for (const r of rows) out[r.name] = JSON.parse(r.value);
  return out as CollectorState;
}

/** Writes the given fields (each its own row, so concurrent writers of different fields never clash). */
export async function writeCollectorState(
  db: Db,
  patch: Partial<CollectorState>,
  now: number,
): Promise<void> {
  for (const [name, value] of Object.entries(patch) as [Key, unknown][]) {
    if (value === undefined) continue;
    await db.run(
      `INSERT INTO collector_state (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [name, JSON.stringify(value), now],
    );
  }
}

/** Moves a timestamp field forward only (several processes may report the same event). */
export async function advanceCollectorTime(
  db: Db,
  name: 'lastNotificationAt' | 'lastValidationAt',
  at: number,
): Promise<void> {
  await db.run(
    `INSERT INTO collector_state (name, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
     WHERE collector_state.updated_at < excluded.updated_at`,
    [name, JSON.stringify(at), at],
  );
}

/** The collector's own facts (subscription, last runs, problems, trouble). */
export interface CollectorStateRepository {
  read(): Promise<CollectorState>;
  /** Writes the given fields (each its own row, so concurrent writers of different fields never clash). */
  write(patch: Partial<CollectorState>, now: number): Promise<void>;
  /** Moves a timestamp field forward only (several processes may report the same event). */
  advanceTime(name: 'lastNotificationAt' | 'lastValidationAt', at: number): Promise<void>;
}

export function createCollectorStateRepository(db: Db): CollectorStateRepository {
  return {
    read: () => readCollectorState(db),
    write: (patch, now) => writeCollectorState(db, patch, now),
    advanceTime: (name, at) => advanceCollectorTime(db, name, at),
  };
}
