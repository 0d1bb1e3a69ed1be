// The built-in alert rules with their defaults (and why), merged with `alerts.rules` from the config file.
import type { AlertsConfig, RuleSetting } from '../config/alerts-config.ts';
import { CalltroveError } from '../errors.ts';
import type { AlertSeverity } from '../store/alerts.ts';

export type RuleKind =
  | 'quality'
  | 'cause'
  | 'change'
  | 'notifications'
  | 'collector-down'
  | 'subscription'
  | 'subscription-expiring'
  | 'auth'
  | 'queue'
  | 'graph-errors'
  | 'pstn';

export type QualityMetric = 'poorPercent' | 'setupFailurePercent' | 'dropFailurePercent';

export interface Rule {
  id: string;
  kind: RuleKind;
  /** What the rule watches, in a few words (the dashboard's rule list, `alerts list --rules`). */
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  scope: ('organization' | 'building')[];
  threshold: number;
  /** Unit of threshold and value: `%`, `min`, `h`, `share %`... */
  unit: string;
  window: number;
  minVolume: number;
  repeatEvery: number;
  worsenFactor: number;
  /** Channel names; null: every channel. */
  channels: string[] | null;
  metric?: QualityMetric;
  /** Why the default is what it is (docs/alerts.md says the same). */
  why: string;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Defaults = Omit<Rule, 'enabled' | 'channels'>;

const quality = (
  id: string,
  name: string,
  metric: QualityMetric,
  threshold: number,
  why: string,
): Defaults => ({
  id,
  kind: 'quality',
  name,
  metric,
  severity: 'warning',
  scope: ['organization', 'building'],
  threshold,
  unit: '%',
  window: 4 * HOUR,
  minVolume: 50,
  repeatEvery: 6 * HOUR,
  worsenFactor: 1.5,
  why,
});

const health = (
  id: string,
  kind: RuleKind,
  name: string,
  o: Partial<Defaults> & { threshold: number; unit: string; why: string },
): Defaults => ({
  id,
  kind,
  name,
  severity: 'critical',
  scope: ['organization'],
  window: 0,
  minVolume: 0,
  repeatEvery: 6 * HOUR,
  worsenFactor: 2,
  ...o,
});

/** Every built-in rule in the order the dashboard and docs list them. */
export const builtInRules: readonly Defaults[] = [
  quality(
    'audio-poor-rate',
    'Audio poor stream rate above the QER target',
    'poorPercent',
    3,
    "The QER guide's overall target for poor audio streams is 3%. Measured over the last 4 hours (whole hours), for the organization and each building with at least 50 classified audio streams, and only when the rate is above the target by more than chance (the 95% lower confidence bound is above it).",
  ),
  quality(
    'setup-failure-rate',
    'Audio call setup failure rate above the QER target',
    'setupFailurePercent',
    1,
    "The QER guide's overall target for setup failures is 1% of audio streams; a failing firewall or proxy rule shows here first.",
  ),
  quality(
    'drop-failure-rate',
    'Audio call drop rate above the QER target',
    'dropFailurePercent',
    3,
    "The QER guide's overall target for dropped streams is 3% of the streams that were set up.",
  ),
  {
    id: 'poor-audio-cause',
    kind: 'cause',
    name: 'A cause explains a large share of poor audio',
    severity: 'warning',
    scope: ['organization'],
    threshold: 10,
    unit: '% of poor streams',
    window: DAY,
    minVolume: 20,
    repeatEvery: 12 * HOUR,
    worsenFactor: 1.5,
    why: 'An access point, subnet, driver, ISP or client version that accounts for 10% or more of the poor audio streams of the last 24 hours (at least 20 poor streams beyond its normal rate) is worth a look before its users call the help desk; the alert is updated when its share grows by half.',
  },
  {
    id: 'quality-change',
    kind: 'change',
    name: 'Quality worse than its baseline',
    severity: 'warning',
    scope: ['organization'],
    threshold: 0,
    unit: 'points',
    window: DAY,
    minVolume: 100,
    repeatEvery: 24 * HOUR,
    worsenFactor: 1.5,
    why: "Poor % or a failure rate of the last 24 hours worse than the 7 days before it by more than noise (the change detection's own significance test), with the dimension values that explain it.",
  },
  health('notifications-missing', 'notifications', 'No change notifications while calls happen', {
    threshold: 2,
    unit: 'h',
    minVolume: 3,
    why: 'Graph notifies within minutes of a call ending. Two hours without a notification while reconciliation finds at least 3 calls that ended in that time and that no notification announced means the subscription silently stopped delivering (the failure every collector is known for); a quiet night without calls raises nothing.',
  }),
  health('collector-down', 'collector-down', 'No collector is running', {
    threshold: 15,
    unit: 'min',
    why: 'A running collector writes a heartbeat every minute; 15 minutes without one (and no clean stop) means nothing collects, renews the subscription or reconciles.',
  }),
  health(
    'subscription-missing',
    'subscription',
    'Change-notification subscription missing, expired or removed',
    {
      threshold: 0,
      unit: 'min',
      why: 'With a notification URL configured, no subscription (never created, removed by Graph, or expired) means new records arrive only through hourly reconciliation.',
    },
  ),
  health('subscription-expiring', 'subscription-expiring', 'Subscription expiring without renewal', {
    severity: 'warning',
    threshold: 12,
    unit: 'h',
    why: 'The collector renews the subscription long before it expires (Graph allows about 70 hours); one that expires within 12 hours has missed several renewals.',
  }),
  health('auth-failing', 'auth', 'Authentication to Microsoft Entra ID failing', {
    threshold: 10,
    unit: 'min',
    why: 'An expired client secret or certificate stops all collection; 10 minutes rules out a passing outage of the authority.',
  }),
  health('queue-behind', 'queue', 'Collector work falling behind', {
    severity: 'warning',
    threshold: 30,
    unit: 'min',
    why: 'Due jobs waiting 30 minutes (or notifications 10 minutes unplanned) mean the collector cannot keep up or is stuck.',
  }),
  health('graph-errors', 'graph-errors', 'Graph answering 429 or 5xx', {
    severity: 'warning',
    threshold: 30,
    unit: 'min',
    why: 'Short throttling is normal and handled; Graph answering only 429 or 5xx for 30 minutes means records are falling behind.',
  }),
  health('pstn-failing', 'pstn', 'PSTN and Direct Routing pull failing', {
    severity: 'warning',
    threshold: 0,
    unit: 'min',
    why: 'The daily pull of PSTN and Direct Routing logs failed (often a missing CallRecord-PstnCalls.Read.All consent); PSTN pages stop filling.',
  }),
];

const kinds = new Set<string>(builtInRules.map((r) => r.kind));

/** The effective rules: built-in defaults, overridden by id from the config file; rules of one's own added. */
export function resolveRules(alerts: AlertsConfig): Rule[] {
  const settings = new Map<string, RuleSetting>(alerts.rules.map((r) => [r.id, r]));
  const out: Rule[] = [];
  const apply = (base: Defaults, s: RuleSetting | undefined): Rule => ({
    ...base,
    enabled: s?.enabled ?? true,
    channels: s?.channels ?? null,
    ...(s?.severity !== undefined ? { severity: s.severity } : {}),
    ...(s?.scope !== undefined ? { scope: s.scope } : {}),
    ...(s?.threshold !== undefined ? { threshold: s.threshold } : {}),
    ...(s?.window !== undefined ? { window: s.window } : {}),
    ...(s?.minVolume !== undefined ? { minVolume: s.minVolume } : {}),
    ...(s?.repeatEvery !== undefined ? { repeatEvery: s.repeatEvery } : {}),
    ...(s?.worsenFactor !== undefined ? { worsenFactor: s.worsenFactor } : {}),
    ...(s?.metric !== undefined ? { metric: s.metric } : {}),
  });
  for (const base of builtInRules) out.push(apply(base, settings.get(base.id)));
  for (const s of alerts.rules) {
    if (builtInRules.some((b) => b.id === s.id)) continue;
    const template = builtInRules.find((b) => b.kind === s.kind);
    if (!s.kind || !kinds.has(s.kind) || !template)
      throw new CalltroveError(
        'config',
        `alerts.rules: "${s.id}" is not a built-in rule and has no valid kind`,
        {
          hint: `override a built-in rule by its id (${builtInRules.map((b) => b.id).join(', ')}), or add one with "kind": one of ${[...kinds].join(', ')}`,
        },
      );
    out.push(apply({ ...template, id: s.id, name: `${template.name} (${s.id})` }, s));
  }
  return out;
}
