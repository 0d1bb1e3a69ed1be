// The alert repository: alert episodes, their history and mutes; a lifecycle change and its deliveries in one transaction.
import { enqueueDeliveries } from './alert-outbox.ts';
import type { Db, SqlValue } from './db.ts';

export type AlertState = 'firing' | 'resolved';
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One alert episode: from the moment its condition started until it cleared. */
export interface StoredAlert {
  id: number;
  ruleId: string;
  /** `organization`, `building:<name>`, `collector`, `cause:<dimension>=<value>`... */
  scopeKey: string;
  scopeLabel: string;
  severity: AlertSeverity;
  state: AlertState;
  startedAt: number;
  resolvedAt: number | null;
  value: number | null;
  threshold: number | null;
  peakValue: number | null;
  /** `%`, `min`, `h`, `calls`... */
  unit: string;
  title: string;
  explanation: string;
  url: string | null;
  /** Figures behind the value (streams, poor streams, target...), as the rule gave them. */
  details: Record<string, unknown> | null;
  /** When a message about it was last queued for the channels, and the value it carried. */
  notifiedAt: number | null;
  notifiedValue: number | null;
  ackedAt: number | null;
  ackedBy: string | null;
  updatedAt: number;
}

export type AlertFields = Omit<StoredAlert, 'id' | 'updatedAt'>;

export interface AlertEvent {
  id: number;
  alertId: number;
  at: number;
  /** fired, updated, resolved, acknowledged, held (a message not sent: muted, or too soon after the last). */
  kind: string;
  value: number | null;
  actor: string | null;
  note: string | null;
}

export interface AlertMute {
  id: number;
  ruleId: string;
  /** A scope key, or `*` for every scope of the rule. */
  scopeKey: string;
  untilAt: number;
  createdAt: number;
  actor: string | null;
}

/** What the lifecycle decided for one alert: the columns to set, an event, and the messages for the channels. */
export interface AlertWrite {
  /** Absent: a new episode. */
  alertId?: number;
  fields: Partial<AlertFields>;
  event?: { kind: string; value?: number | null; actor?: string | null; note?: string | null };
  /** The channels to deliver the event's channel-neutral message (JSON, made once the alert has its id) to. */
  deliveries?: { channels: readonly string[]; message(alertId: number): string };
}

const columns: Record<keyof AlertFields, string> = {
  ruleId: 'rule_id',
  scopeKey: 'scope_key',
  scopeLabel: 'scope_label',
  severity: 'severity',
  state: 'state',
  startedAt: 'started_at',
  resolvedAt: 'resolved_at',
  value: 'value',
  threshold: 'threshold',
  peakValue: 'peak_value',
  unit: 'unit',
  title: 'title',
  explanation: 'explanation',
  url: 'url',
  details: 'details',
  notifiedAt: 'notified_at',
  notifiedValue: 'notified_value',
  ackedAt: 'acked_at',
  ackedBy: 'acked_by',
};

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toAlert(r: Row): StoredAlert {
  return {
    id: Number(r.id),
    ruleId: String(r.rule_id),
    scopeKey: String(r.scope_key),
    scopeLabel: String(r.scope_label),
    severity: r.severity as AlertSeverity,
    state: r.state as AlertState,
    startedAt: Number(r.started_at),
    resolvedAt: num(r.resolved_at),
    value: num(r.value),
    threshold: num(r.threshold),
    peakValue: num(r.peak_value),
    unit: String(r.unit),
    title: String(r.title),
    explanation: String(r.explanation),
    url: (r.url as string | null) ?? null,
    details: r.details ? (JSON.parse(String(r.details)) as Record<string, unknown>) : null,
    notifiedAt: num(r.notified_at),
    notifiedValue: num(r.notified_value),
    ackedAt: num(r.acked_at),
    ackedBy: (r.acked_by as string | null) ?? null,
    updatedAt: Number(r.updated_at),
  };
}

function toEvent(r: Row): AlertEvent {
  return {
    id: Number(r.id),
    alertId: Number(r.alert_id),
    at: Number(r.at),
    kind: String(r.kind),
    value: num(r.value),
    actor: (r.actor as string | null) ?? null,
    note: (r.note as string | null) ?? null,
  };
}

function toMute(r: Row): AlertMute {
  return {
    id: Number(r.id),
    ruleId: String(r.rule_id),
    scopeKey: String(r.scope_key),
    untilAt: Number(r.until_at),
    createdAt: Number(r.created_at),
    actor: (r.actor as string | null) ?? null,
  };
}

function columnValue(key: keyof AlertFields, v: unknown): SqlValue {
  if (key === 'details') return v ? JSON.stringify(v) : null;
  return (v ?? null) as SqlValue;
}

export interface AlertListQuery {
  state?: AlertState;
  /** Newest first; default 100. */
  limit?: number;
  ruleId?: string;
}

export interface AlertRepository {
  /** Firing alerts, oldest first. */
  open(): Promise<StoredAlert[]>;
  list(q?: AlertListQuery): Promise<StoredAlert[]>;
  get(id: number): Promise<StoredAlert | null>;
  /** The most recent episode of a rule and scope (firing or not). */
  latest(ruleId: string, scopeKey: string): Promise<StoredAlert | null>;
  events(alertId: number): Promise<AlertEvent[]>;
  /** Applies one lifecycle decision atomically; a second open episode of the same rule and scope is refused. */
  save(write: AlertWrite, now: number): Promise<{ alertId: number; eventId: number | null }>;
  acknowledge(id: number, actor: string, now: number): Promise<StoredAlert | null>;
  mute(
    m: { ruleId: string; scopeKey: string; untilAt: number; actor: string },
    now: number,
  ): Promise<AlertMute>;
  /** Ends mutes early (all of a rule and scope, or one by id). */
  unmute(m: { id?: number; ruleId?: string; scopeKey?: string }, actor: string, now: number): Promise<number>;
  /** Mutes in force at `now`. */
  mutes(now: number): Promise<AlertMute[]>;
}

export function createAlertRepository(db: Db): AlertRepository {
  const get = async (tx: Db, id: number) => {
    const r = await tx.get<Row>('SELECT * FROM alerts WHERE id = ?', [id]);
    return r ? toAlert(r) : null;
  };
  const addEvent = async (tx: Db, alertId: number, e: NonNullable<AlertWrite['event']>, now: number) => {
    const r = await tx.get<{ id: number }>(
      'INSERT INTO alert_events (alert_id, at, kind, value, actor, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [alertId, now, e.kind, e.value ?? null, e.actor ?? null, e.note ?? null],
    );
    return Number(r?.id);
  };

  return {
    async open() {
      const rows = await db.all<Row>("SELECT * FROM alerts WHERE state = 'firing' ORDER BY started_at, id");
      return rows.map(toAlert);
    },
    async list(q = {}) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (q.state) {
        where.push('state = ?');
        params.push(q.state);
      }
      if (q.ruleId) {
        where.push('rule_id = ?');
        params.push(q.ruleId);
      }
      const rows = await db.all<Row>(
        `SELECT * FROM alerts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`,
        [...params, q.limit ?? 100],
      );
      return rows.map(toAlert);
    },
    get: (id) => get(db, id),
    async latest(ruleId, scopeKey) {
      const r = await db.get<Row>(
        'SELECT * FROM alerts WHERE rule_id = ? AND scope_key = ? ORDER BY started_at DESC, id DESC LIMIT 1',
        [ruleId, scopeKey],
      );
      return r ? toAlert(r) : null;
    },
    async events(alertId) {
      const rows = await db.all<Row>('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY id', [alertId]);
      return rows.map(toEvent);
    },
    save(write, now) {
      return db.transaction(async (tx) => {
        const entries = (Object.entries(write.fields) as [keyof AlertFields, unknown][]).filter(
          ([k]) => columns[k] !== undefined,
        );
        const set = (state: unknown) => (state === 'firing' ? 1 : null);
        let alertId = write.alertId;
        if (alertId === undefined) {
          const names = [...entries.map(([k]) => columns[k]), 'open_key', 'updated_at'];
          const values = [...entries.map(([k, v]) => columnValue(k, v)), set(write.fields.state), now];
          const r = await tx.get<{ id: number }>(
            `INSERT INTO alerts (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) RETURNING id`,
            values,
          );
          alertId = Number(r?.id);
        } else if (entries.length > 0) {
          const sets = entries.map(([k]) => `${columns[k]} = ?`);
          const values = entries.map(([k, v]) => columnValue(k, v));
          if (write.fields.state) {
            sets.push('open_key = ?');
            values.push(set(write.fields.state));
          }
          await tx.run(`UPDATE alerts SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [
            ...values,
            now,
            alertId,
          ]);
        }
        const eventId = write.event ? await addEvent(tx, alertId, write.event, now) : null;
        if (eventId !== null && write.deliveries?.channels.length) {
          const message = write.deliveries.message(alertId);
          const rows = write.deliveries.channels.map((channel) => ({ channel, message }));
          await enqueueDeliveries(tx, alertId, eventId, rows, now);
        }
        return { alertId, eventId };
      });
    },
    acknowledge(id, actor, now) {
      return db.transaction(async (tx) => {
        const a = await get(tx, id);
        if (a?.state !== 'firing' || a.ackedAt !== null) return a;
        await tx.run('UPDATE alerts SET acked_at = ?, acked_by = ?, updated_at = ? WHERE id = ?', [
          now,
          actor,
          now,
          id,
        ]);
        await addEvent(tx, id, { kind: 'acknowledged', actor }, now);
        return get(tx, id);
      });
    },
    async mute(m, now) {
      const r = await db.get<Row>(
        'INSERT INTO alert_mutes (rule_id, scope_key, until_at, created_at, actor) VALUES (?, ?, ?, ?, ?) RETURNING *',
        [m.ruleId, m.scopeKey, m.untilAt, now, m.actor],
      );
      return toMute(r as Row);
    },
    async unmute(m, _actor, now) {
      if (m.id !== undefined)
        return (
          await db.run('UPDATE alert_mutes SET until_at = ? WHERE id = ? AND until_at > ?', [now, m.id, now])
        ).changes;
      return (
        await db.run(
          'UPDATE alert_mutes SET until_at = ? WHERE rule_id = ? AND scope_key = ? AND until_at > ?',
          [now, m.ruleId ?? '', m.scopeKey ?? '*', now],
        )
      ).changes;
    },
    async mutes(now) {
      const rows = await db.all<Row>('SELECT * FROM alert_mutes WHERE until_at > ? ORDER BY until_at', [now]);
      return rows.map(toMute);
    },
  };
}
