// One evaluation: every enabled rule's check, its observations through the lifecycle; one failing rule never stops
// the others, and a rule whose data source is missing says so instead of firing or resolving anything.
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { StoredAlert } from '../store/alerts.ts';
import type { Store } from '../store/store.ts';
import { checkCauses } from './checks/causes.ts';
import { checkChanges } from './checks/changes.ts';
import { healthChecks } from './checks/collector-health.ts';
import { checkQuality } from './checks/quality.ts';
import { applyObservations, type LifecycleOutcome, resolve } from './lifecycle.ts';
import type { CauseSource, ChangeSource, Check, CheckContext } from './observation.ts';
import { queryCauseSource, queryChangeSource } from './query-insight.ts';
import { type Rule, resolveRules } from './rules.ts';

export interface EvaluateOptions {
  store: Store;
  config: Config;
  now: number;
  logger: Logger;
  /** Default: attribution over the quality query engine (query-insight.ts); null leaves the rule unevaluated. */
  causes?: CauseSource | null;
  changes?: ChangeSource | null;
}

export interface EvaluationReport {
  at: string;
  changes: LifecycleOutcome[];
  /** Rules not evaluated, and why (no data source for them, a failing query). */
  skipped: { rule: string; reason: string }[];
  /** Firing alerts after the evaluation. */
  firing: number;
}

/** The dashboard's base URL for links: alerts.dashboardUrl, or where `serve` listens. */
export function dashboardUrlOf(config: Config): string {
  const base = config.alerts.dashboardUrl ?? `http://${config.api.host}:${config.api.port}`;
  return base.replace(/\/+$/, '');
}

function checkFor(rule: Rule, ctx: CheckContext): Check | string {
  if (rule.kind === 'quality') return checkQuality;
  if (rule.kind === 'cause')
    return ctx.causes ? checkCauses : 'no cause attribution was given to this evaluation';
  if (rule.kind === 'change')
    return ctx.changes ? checkChanges : 'no change detection was given to this evaluation';
  return healthChecks[rule.kind] ?? `no check for rule kind "${rule.kind}"`;
}

export async function evaluateAlerts(o: EvaluateOptions): Promise<EvaluationReport> {
  const { store, config, now, logger } = o;
  const rules = resolveRules(config.alerts);
  const allChannels = config.alerts.channels.map((c) => c.name);
  const ctx: CheckContext = {
    store,
    config,
    now,
    dashboardUrl: dashboardUrlOf(config),
    causes: o.causes === undefined ? queryCauseSource(store.reads) : (o.causes ?? undefined),
    changes: o.changes === undefined ? queryChangeSource(store.reads) : (o.changes ?? undefined),
  };
  const [mutes, openAlerts] = await Promise.all([store.alerts.mutes(now), store.alerts.open()]);
  const report: EvaluationReport = { at: new Date(now).toISOString(), changes: [], skipped: [], firing: 0 };
  for (const rule of rules) {
    const open = new Map<string, StoredAlert>();
    for (const a of openAlerts) if (a.ruleId === rule.id) open.set(a.scopeKey, a);
    const lifecycle = { store, now, channels: rule.channels ?? allChannels, mutes, open };
    if (!rule.enabled) {
      for (const a of open.values())
        report.changes.push(
          await resolve(rule, a, lifecycle, { value: null, note: 'the rule was disabled' }),
        );
      continue;
    }
    const check = checkFor(rule, ctx);
    if (typeof check === 'string') {
      report.skipped.push({ rule: rule.id, reason: check });
      continue;
    }
    try {
      const observations = await check(rule, ctx, new Set(open.keys()));
      report.changes.push(...(await applyObservations(rule, observations, lifecycle)));
    } catch (err) {
      logger.error({ rule: rule.id, problem: (err as Error).message }, 'alert rule failed');
      report.skipped.push({ rule: rule.id, reason: `the rule failed: ${(err as Error).message}` });
    }
  }
  report.firing = (await store.alerts.open()).length;
  return report;
}
