// The channel-neutral alert message: made once when the event happens, stored in the outbox, rendered by each channel.
import type { AlertSeverity, StoredAlert } from '../store/alerts.ts';
import type { Figure } from './observation.ts';

export type AlertEventKind = 'fired' | 'updated' | 'resolved' | 'test';

export interface AlertMessage {
  alertId: number;
  /** Stable per rule and scope (`<rule>/<scope key>`): receivers group firing and resolved messages by it. */
  key: string;
  event: AlertEventKind;
  state: 'firing' | 'resolved';
  rule: string;
  ruleName: string;
  severity: AlertSeverity;
  title: string;
  scope: { key: string; label: string };
  value: number | null;
  threshold: number | null;
  unit: string;
  /** ISO time the condition started. */
  since: string;
  resolvedAt: string | null;
  explanation: string;
  url: string | null;
  figures: Figure[];
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function messageOf(
  alert: Omit<StoredAlert, 'id' | 'updatedAt'>,
  alertId: number,
  event: AlertEventKind,
  ruleName: string,
): AlertMessage {
  const figures = (alert.details?.figures as Figure[] | undefined) ?? [];
  return {
    alertId,
    key: `${alert.ruleId}/${alert.scopeKey}`,
    event,
    state: event === 'resolved' ? 'resolved' : 'firing',
    rule: alert.ruleId,
    ruleName,
    severity: alert.severity,
    title: event === 'resolved' ? `Resolved: ${alert.title}` : alert.title,
    scope: { key: alert.scopeKey, label: alert.scopeLabel },
    value: alert.value,
    threshold: alert.threshold,
    unit: alert.unit,
    since: iso(alert.startedAt) as string,
    resolvedAt: iso(alert.resolvedAt),
    explanation: alert.explanation,
    url: alert.url,
    figures,
  };
}

/** "12.5%", "3 h", "unknown": a value as a person reads it. */
export function valueText(value: number | null, unit: string): string {
  if (value === null) return 'unknown';
  const v = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  return unit === '%' ? `${v}%` : `${v} ${unit}`;
}
