// The notification inbox: each accepted notification is written here before the webhook answers 202.
import type { Db, SqlValue } from './db.ts';
import { insertMany } from './db.ts';

export interface InboxEntry {
  kind: 'change' | 'lifecycle';
  recordId: string | null;
  changeType: string | null;
  lifecycleEvent: string | null;
  subscriptionId: string | null;
  /** The notification as received, without its clientState (a shared secret has no place at rest twice). */
  body: string;
}

export interface InboxRow extends InboxEntry {
  id: number;
  receivedAt: number;
}

interface Row {
  id: number;
  received_at: number;
  kind: 'change' | 'lifecycle';
  record_id: string | null;
  change_type: string | null;
  lifecycle_event: string | null;
  subscription_id: string | null;
  body: string;
}

const columns = [
  'received_at',
  'kind',
  'record_id',
  'change_type',
  'lifecycle_event',
  'subscription_id',
  'body',
];

/** Persists a batch in one statement (one write, one fsync on SQLite): the webhook's hot path. */
export async function appendToInbox(
  db: Db,
  entries: readonly InboxEntry[],
  receivedAt: number,
): Promise<void> {
  const rows: SqlValue[][] = entries.map((e) => [
    receivedAt,
    e.kind,
    e.recordId,
    e.changeType,
    e.lifecycleEvent,
    e.subscriptionId,
    e.body,
  ]);
  await insertMany(db, 'collector_inbox', columns, rows);
}

/**
 * Reads the oldest entries for processing. On PostgreSQL the rows are locked (SKIP LOCKED) so that several
 * collectors never process the same entry; call it inside the transaction that also deletes them.
 */
export async function readInbox(tx: Db, limit: number): Promise<InboxRow[]> {
  const lock = tx.capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await tx.all<Row>(`SELECT * FROM collector_inbox ORDER BY id LIMIT ?${lock}`, [limit]);
  return rows.map((r) => ({
    id: Number(r.id),
    receivedAt: Number(r.received_at),
    kind: r.kind,
    recordId: r.record_id,
    changeType: r.change_type,
    lifecycleEvent: r.lifecycle_event,
    subscriptionId: r.subscription_id,
    body: r.body,
  }));
}

export async function deleteFromInbox(tx: Db, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    await tx.run(`DELETE FROM collector_inbox WHERE id IN (${part.map(() => '?').join(',')})`, part);
  }
}

export async function inboxStats(db: Db): Promise<{ depth: number; oldestReceivedAt: number | null }> {
  const r = await db.get<{ c: number; o: number | null }>(
    'SELECT COUNT(*) AS c, MIN(received_at) AS o FROM collector_inbox',
  );
  return { depth: Number(r?.c ?? 0), oldestReceivedAt: r?.o == null ? null : Number(r.o) };
}

/** The webhook's inbox: appended to before a notification is answered, planned and emptied by the collector. */
export interface NotificationInbox {
  /** Persists a batch durably, in one transaction (joining the caller's when bound to one). */
  append(entries: readonly InboxEntry[], receivedAt: number): Promise<void>;
  /** The oldest entries; bound to a transaction, locked (PostgreSQL) until that transaction removes them. */
  read(limit: number): Promise<InboxRow[]>;
  remove(ids: readonly number[]): Promise<void>;
  stats(): Promise<{ depth: number; oldestReceivedAt: number | null }>;
}

export function createNotificationInbox(db: Db): NotificationInbox {
  return {
    append: (entries, receivedAt) => db.transaction((tx) => appendToInbox(tx, entries, receivedAt)),
    read: (limit) => readInbox(db, limit),
    remove: (ids) => deleteFromInbox(db, ids),
    stats: () => inboxStats(db),
  };
}
