// The quality query's vocabulary, shared by the CLI, the REST API and the dashboard: dimensions, measures, rows.

/**
 * Dimensions in kebab-case (as the CLI and API spell them). Network and device dimensions describe the
 * client ("second") end of each stream, as CQD's most used dimensions do (see src/quality/stream-ends.ts).
 * Time buckets are UTC and follow the call's start time, so one call falls in exactly one day and hour.
 * `access-point` is the access-point file's AP name for the client end's BSSID (never the BSSID itself),
 * `endpoint-model`/`endpoint-type` come from CQD's endpoint file by the client endpoint's name, `isp` is the
 * registered domain of the client end's DNS suffix, `hour-of-day` is `00`..`23` and `weekday` `Monday`..`Sunday`
 * (UTC, of the call start), `transport` `udp`/`tcp`, `relay` `relay`/`direct`, `codec` the stream's codec.
 */
export const dimensions = [
  'day',
  'hour',
  'building',
  'city',
  'country',
  'region',
  'subnet',
  'network-type',
  'wifi-band',
  'vpn',
  'inside-corp',
  'platform',
  'product-family',
  'client-version',
  'capture-device',
  'render-device',
  'user',
  'call-type',
  'media-type',
  'direction',
  'access-point',
  'capture-driver',
  'render-driver',
  'isp',
  'hour-of-day',
  'weekday',
  'transport',
  'relay',
  'codec',
  'endpoint-model',
  'endpoint-type',
] as const;
export type Dimension = (typeof dimensions)[number];

/** The camelCase key a dimension takes in a QualityRow (`network-type` → `networkType`). */
export type DimensionKey<D extends string = Dimension> = D extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<DimensionKey<T>>}`
  : D;

export function dimensionKey(d: Dimension): DimensionKey {
  return d.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as DimensionKey;
}

/**
 * Measures. Poor/percent measures count classified streams only (unclassified streams are counted in
 * `streams` but never in a poor rate). Averages are over streams that reported the metric.
 * `calls` counts distinct calls with at least one stream in the group; `minutes` is those calls' durations
 * (call start to end, in minutes); `users` counts distinct users whose client end had a stream in the group.
 * `p90JitterMs` is read from a fixed jitter histogram (interpolated within a bucket, see docs/analytics.md).
 */
export const measures = [
  'streams',
  'classifiedStreams',
  'unclassifiedStreams',
  'poorStreams',
  'poorPercent',
  'poorDueToJitter',
  'poorDueToRoundTrip',
  'poorDueToPacketLoss',
  'poorDueToDegradation',
  'poorDueToConcealedRatio',
  'poorDueToFrameLoss',
  'poorDueToFrameRate',
  'poorDueToPostFecPacketLoss',
  'avgJitterMs',
  'p90JitterMs',
  'avgPacketLoss',
  'avgRoundTripMs',
  'avgConcealedRatio',
  'streamMinutes',
  'setupFailedStreams',
  'droppedStreams',
  'setupFailurePercent',
  'dropFailurePercent',
  'calls',
  'minutes',
  'users',
] as const;
export type Measure = (typeof measures)[number];

/** What `queryQuality` returns when a query names no measures. */
export const defaultMeasures: readonly Measure[] = [
  'streams',
  'classifiedStreams',
  'poorStreams',
  'poorPercent',
  'calls',
];

export interface QualityOrder {
  /** A measure, or one of the query's `by` dimensions. */
  key: Measure | Dimension;
  direction?: 'asc' | 'desc';
}

export interface QualityQuery {
  /** Group by these dimensions (empty: one total row). */
  by: Dimension[];
  /** Defaults to `defaultMeasures`. */
  measures?: Measure[];
  /**
   * Keep only streams whose dimension value is one of the listed strings. Values are spelled as rows show
   * them (`day` as `2024-05-01`, `hour` as `2024-05-01T13:00Z`, `vpn`/`inside-corp` as `true`/`false`);
   * the empty string matches an unknown value (a subnet no building covers, a missing client version).
   */
  filters: Partial<Record<Dimension, string[]>>;
  /** Epoch ms, inclusive; whole UTC days (hours when grouping or filtering by hour) containing it are kept. */
  since?: number;
  /** Epoch ms, exclusive; the day (hour) containing `until - 1` is the last one kept. */
  until?: number;
  /** Default: the first `by` dimension ascending (time dims), else streams descending. */
  orderBy?: QualityOrder[];
  limit?: number;
  /** Leave out groups with fewer classified streams than this (worst-X lists ignore tiny samples). */
  minClassifiedStreams?: number;
}

/** One camelCase key per grouped dimension (`null` when unknown), plus one key per requested measure. */
export type QualityRow = Partial<Record<DimensionKey, string | null>> &
  Partial<Record<Measure, number | null>> &
  Record<string, string | number | null | undefined>;

/** Where an answer came from: a rollup table, or the per-stream fact table when no rollup covers the query. */
export interface QualityPlan {
  source: string;
  rollup: boolean;
}

/** The query as the CLI and the REST API receive it: strings, to be checked by `parseQualityQuery`. */
export interface QualityQueryText {
  /** Comma-separated dimensions, e.g. `building,network-type`. */
  by?: string;
  /** Comma-separated measures. */
  measures?: string;
  /** `dimension=value[,value...]`, one entry per dimension. */
  filters?: string[];
  /** `7d`, `12h`, `30m`, a date `2024-05-01` or an ISO timestamp. */
  since?: string;
  until?: string;
  /** `poorPercent` (descending by default for measures) or `-poorPercent` / `+streams`. */
  orderBy?: string;
  limit?: string | number;
  minClassifiedStreams?: string | number;
}

/** The time window (epoch ms; whole UTC days) and extra filters every dashboard query takes. */
export interface ReportWindow {
  since?: number;
  until?: number;
  filters?: QualityQuery['filters'];
}
