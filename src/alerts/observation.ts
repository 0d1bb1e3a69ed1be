// What a rule's check reports for each scope it looked at, and what every check is given.
import type { Config } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import type { Rule } from './rules.ts';

/** One figure shown beside the alert (a fact in the Teams card, a line in the email). */
export interface Figure {
  name: string;
  value: string;
}

export interface Observation {
  /** Stable per rule: `organization`, `building:<name>`, `collector`, `cause:<dimension>=<value>`. */
  scopeKey: string;
  scopeLabel: string;
  /** firing: the condition holds; clear: it clearly does not; unknown: too little data to say either. */
  status: 'firing' | 'clear' | 'unknown';
  value: number | null;
  threshold: number;
  unit: string;
  title: string;
  explanation: string;
  /** The dashboard page that shows it. */
  url: string;
  figures: Figure[];
}

/** Cause attribution as the cause rule needs it (the analytics' causes report fills it in). */
export interface AttributedCause {
  /** Dimension(s) and value(s), e.g. [{ dimension: 'access-point', value: 'AP-3F-East' }]. */
  parts: { dimension: string; value: string }[];
  streams: number;
  poorStreams: number;
  poorPercent: number;
  /** Poor streams beyond the scope's normal rate that this value explains. */
  excessPoorStreams: number;
  /** Its excess as a share of all poor streams, in percent. */
  sharePercent: number;
  /** The poor reasons it shows most (jitter, packet loss...). */
  reasons: string[];
}

export interface CauseSource {
  causes(o: { since: number; until: number }): Promise<AttributedCause[]>;
}

/** A metric that got worse than its baseline beyond noise, with what explains it. */
export interface DetectedChange {
  metric: string;
  label: string;
  recent: number;
  baseline: number;
  unit: string;
  /** The recent window's volume behind the rate (streams); the rule's minimum volume applies to it. */
  streams?: number;
  explainedBy: { dimension: string; value: string; impact: string }[];
}

export interface ChangeSource {
  changes(o: {
    recent: { since: number; until: number };
    baseline: { since: number; until: number };
  }): Promise<DetectedChange[]>;
}

export interface CheckContext {
  store: Store;
  config: Config;
  now: number;
  /** The dashboard's base URL (no trailing slash). */
  dashboardUrl: string;
  causes?: CauseSource;
  changes?: ChangeSource;
}

/**
 * A rule's check. `open` holds the scope keys of the rule's firing alerts: a check whose answer is complete (every
 * cause, every change) reports the ones it no longer sees as clear; others leave them unknown.
 */
export type Check = (rule: Rule, ctx: CheckContext, open: ReadonlySet<string>) => Promise<Observation[]>;

/** A dashboard link: `#/<path>` under the dashboard URL. */
export function dashboardLink(ctx: CheckContext, path: string): string {
  return `${ctx.dashboardUrl}/#/${path}`;
}

/**
 * The dashboard's Explore view of audio over a window, grouped by one dimension (each row opens the next level),
 * under filters: where a cause's or a change's value stands beside its peers.
 */
export function exploreLink(
  ctx: CheckContext,
  o: { by: string; filters?: { dimension: string; value: string }[]; since: number; until: number },
): string {
  const q = new URLSearchParams({ by: o.by, 'media-type': 'audio' });
  for (const f of o.filters ?? []) q.set(f.dimension, f.value);
  q.set('since', new Date(o.since).toISOString());
  q.set('until', new Date(o.until).toISOString());
  return dashboardLink(ctx, `explore?${q}`);
}

/** 12.3 → "12.3", 3 → "3", for messages. */
export function shown(v: number, digits = 1): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}
