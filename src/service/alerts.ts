// Alerts for a caller: what fires, the history, the rules in force (read-only), the channels without secrets;
// acknowledging and muting for investigators (alerts never name an individual, so every role may see them).
import { acknowledgeAlert, muteAlerts } from '../alerts/actions.ts';
import { describeChannel } from '../alerts/channels/index.ts';
import { resolveRules } from '../alerts/rules.ts';
import { CalltroveError } from '../errors.ts';
import type { Delivery } from '../store/alert-outbox.ts';
import type { AlertEvent, AlertMute, StoredAlert } from '../store/alerts.ts';
import { type Principal, permissions } from './principal.ts';
import type { Service } from './service.ts';

export interface AlertRuleView {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  severity: string;
  scope: string[];
  threshold: number;
  unit: string;
  windowMinutes: number;
  minVolume: number;
  repeatEveryMinutes: number;
  worsenFactor: number;
  channels: string[] | null;
  why: string;
}

export interface AlertsOverview {
  active: StoredAlert[];
  history: StoredAlert[];
  mutes: AlertMute[];
  rules: AlertRuleView[];
  channels: { name: string; type: string; target: string }[];
  outbox: { pending: number; failed: number; delivered: number; oldestPendingAt: number | null };
  evaluateEveryMinutes: number;
  lastEvaluatedAt: number | null;
  /** Whether this caller may acknowledge and mute. */
  canHandle: boolean;
}

export interface AlertDetail {
  alert: StoredAlert;
  events: AlertEvent[];
  deliveries: Omit<Delivery, 'message'>[];
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/** Who did it, as the history shows it: the token's fingerprint, never the token. */
export function actorOf(who: Principal): string {
  return who.via === 'token' ? `token:${who.tokenId}` : who.via;
}

function requireHandling(who: Principal): void {
  if (!permissions.handleAlerts(who))
    throw new CalltroveError('forbidden', 'acknowledging and muting alerts need the investigator role', {
      hint: 'a viewer token sees alerts; use an investigator token (CALLTROVE_API_TOKEN) to acknowledge or mute',
    });
}

export async function alertsOverview(s: Service, who: Principal, historyLimit = 50): Promise<AlertsOverview> {
  const now = s.clock.now();
  const [active, history, mutes, outbox, lastEvaluatedAt] = await Promise.all([
    s.store.alerts.list({ state: 'firing', limit: 500 }),
    s.store.alerts.list({ state: 'resolved', limit: historyLimit }),
    s.store.alerts.mutes(now),
    s.store.alertOutbox.stats(),
    s.store.alertOutbox.lastRun('evaluate'),
  ]);
  return {
    active,
    history,
    mutes,
    rules: resolveRules(s.config.alerts).map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      enabled: r.enabled,
      severity: r.severity,
      scope: r.scope,
      threshold: r.threshold,
      unit: r.unit,
      windowMinutes: minutes(r.window),
      minVolume: r.minVolume,
      repeatEveryMinutes: minutes(r.repeatEvery),
      worsenFactor: r.worsenFactor,
      channels: r.channels,
      why: r.why,
    })),
    channels: s.config.alerts.channels.map(describeChannel),
    outbox,
    evaluateEveryMinutes: minutes(s.config.alerts.evaluateEvery),
    lastEvaluatedAt,
    canHandle: permissions.handleAlerts(who),
  };
}

export async function alertDetail(s: Service, _who: Principal, id: number): Promise<AlertDetail> {
  const alert = await s.store.alerts.get(id);
  if (!alert)
    throw new CalltroveError('not_found', `no alert ${id}`, { hint: 'GET /api/v1/alerts lists them' });
  const [events, deliveries] = await Promise.all([
    s.store.alerts.events(id),
    s.store.alertOutbox.forAlert(id),
  ]);
  return { alert, events, deliveries: deliveries.map(({ message: _m, ...d }) => d) };
}

export async function acknowledge(s: Service, who: Principal, id: number): Promise<StoredAlert> {
  requireHandling(who);
  return acknowledgeAlert(s.store, id, actorOf(who), s.clock.now());
}

export async function mute(s: Service, who: Principal, target: string, duration: string): Promise<AlertMute> {
  requireHandling(who);
  return muteAlerts(s.store, s.config, target, duration, actorOf(who), s.clock.now());
}

export async function unmute(s: Service, who: Principal, id: number): Promise<number> {
  requireHandling(who);
  return s.store.alerts.unmute({ id }, actorOf(who), s.clock.now());
}
