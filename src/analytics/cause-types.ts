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
