// What "Where is the problem?" answers (causes) and "What changed" answers (changes): declared once, read by the
// CLI, the REST API's schemas and the dashboard.
import type { CauseThresholds } from './cause-stats.ts';
import type { Dimension, QualityQuery } from './quality-query.ts';

export interface CauseQuery {
  since?: number;
  until?: number;
  /** The scope. Without a media-type filter the scope is audio (the stream type CQD's poor rate is built for). */
  filters: QualityQuery['filters'];
  /** The candidate dimensions (default: every dimension that can name a cause, see causeDimensions). */
  dimensions?: Dimension[];
  /** Also look for single users (investigators only: the service checks the role). */
  includeUsers?: boolean;
  /** At most this many causes (the explained ones are listed apart, all of them). */
  limit?: number;
  thresholds?: Partial<CauseThresholds>;
}

/** One poor reason a group shows: poor streams that crossed that reason's threshold (a stream can cross several). */
export interface CauseReason {
  measure: string;
  reason: string;
  poorStreams: number;
}

/** One attributed cause: a dimension value, or a combination of two (`values[i]` is the value of `dimensions[i]`). */
export interface CauseRow {
  rank: number;
  /** Kebab-case dimension names, e.g. ['subnet', 'hour-of-day']. */
  dimensions: Dimension[];
  /** Values as the quality query spells them; an hour-of-day range is `13-15` (13:00 to 15:59 UTC). */
  values: string[];
  /** The same in words: `subnet 10.1.2.0 at hour-of-day 13-15`. */
  label: string;
  streams: number;
  classifiedStreams: number;
  poorStreams: number;
  poorPercent: number;
  /** The poor rate of the rest of the scope (every classified stream outside this group), in percent. */
  restPoorPercent: number;
  /** poorStreams − classifiedStreams × rest rate: the poor streams this group has beyond the scope's normal rate. */
  excessPoorStreams: number;
  /** excessPoorStreams as a share of the scope's poor streams, in percent. */
  shareOfPoorPercent: number;
  /** Two-proportion z of the group's poor rate against the rest's. */
  z: number;
  topReasons: CauseReason[];
  /** Distinct users with a stream in the group. */
  users: number;
  /** Labels of the groups this one explains (they are listed under `explained`). */
  explains: string[];
  /** For an explained group: the cause that accounts for its excess. */
  explainedBy: string | null;
  /** Dashboard views of this group's users and calls, the scope's filters kept. */
  links: { users: string; calls: string };
}

export interface CausesAnswer {
  scope: {
    since: number | null;
    until: number | null;
    filters: QualityQuery['filters'];
    classifiedStreams: number;
    poorStreams: number;
    poorPercent: number | null;
  };
  thresholds: CauseThresholds;
  /** Dimensions looked at. */
  dimensions: Dimension[];
  causes: CauseRow[];
  /** Groups worse than the rest that another cause accounts for (a building by its access point...). */
  explained: CauseRow[];
  /** Causes left out because they hold fewer users than privacy.minGroupSize (viewers only). */
  hiddenSmallGroups: number;
}

/** What changed: a recent window against the baseline window right before it, in one scope. */
export interface ChangeQuery {
  /** The recent window [since, until). */
  since: number;
  until: number;
  /** The baseline window is [baselineSince, since). */
  baselineSince: number;
  /** The scope. Without a media-type filter audio, video and screen sharing are each compared. */
  filters: QualityQuery['filters'];
  /** The dimensions whose values may explain a change (default: those of causes, users left out). */
  dimensions?: Dimension[];
  /** At most this many explaining values per change. */
  limit?: number;
  thresholds?: Partial<ChangeThresholds>;
}

export interface ChangeThresholds {
  /** z (two proportions, recent against baseline) a metric needs to count as worse beyond noise. */
  minZ: number;
  /** ... and this many percentage points of change. */
  minChangePoints: number;
  /** An explaining value needs this many recent streams (classified) and poor streams, and this score z. */
  minStreams: number;
  minPoor: number;
  minDriverZ: number;
}

/** A metric's rate in one window: `events` of `streams` (poor of classified streams, failures of streams; for
 * ratings, poor ratings of rated calls). */
export interface ChangeWindowRate {
  streams: number;
  events: number;
  percent: number | null;
}

/** A dimension value that explains a change: its recent events beyond what its own baseline rate gives. */
export interface ChangeDriver {
  rank: number;
  dimensions: Dimension[];
  values: string[];
  label: string;
  recent: ChangeWindowRate;
  /** The value's baseline; `baselineOf` says whether its own (`value`) or the scope's (`scope`, a value new in the
   * recent window or too rare before it) was used as the rate it should have had. */
  baseline: ChangeWindowRate;
  baselineOf: 'value' | 'scope';
  /** recent events − recent streams × the baseline rate used. */
  impact: number;
  /** impact as a share of the metric's own change (recent events − recent streams × scope baseline rate). */
  shareOfChangePercent: number;
  /** Score z of the recent events against the baseline rate used. */
  z: number;
  /** Users with recent streams in the value (a viewer is not shown values of fewer than privacy.minGroupSize). */
  users: number;
  /** The value whose streams hold almost all of this one's added events (listed in `explained`). */
  explainedBy?: string;
}

/** The metrics "what changed" compares: poor %, QER's setup and drop failure rates, poor call ratings. */
export type ChangeMetric =
  | 'poor-percent'
  | 'setup-failure-percent'
  | 'drop-failure-percent'
  | 'poor-rating-percent';

export interface ChangeRow {
  metric: ChangeMetric;
  label: string;
  /** The media types the metric counts ([] for ratings, which belong to the call). */
  mediaType: string[];
  recent: ChangeWindowRate;
  baseline: ChangeWindowRate;
  /** recent percent − baseline percent. */
  changePoints: number;
  z: number;
  worse: boolean;
  drivers: ChangeDriver[];
  /** Values that rose too, but only through another value that explains them (poor % only). */
  explained: ChangeDriver[];
}

export interface ChangesAnswer {
  recent: { since: number; until: number };
  baseline: { since: number; until: number };
  filters: QualityQuery['filters'];
  thresholds: ChangeThresholds;
  /** Metrics worse beyond noise, the largest change first, each with its drivers. */
  changes: ChangeRow[];
  /** Metrics looked at that did not get worse beyond noise (no drivers). */
  unchanged: ChangeRow[];
  /** Drivers left out because they hold fewer users than privacy.minGroupSize (viewers only). */
  hiddenSmallGroups: number;
}
