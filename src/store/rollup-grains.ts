// The analytics tables' shape, declared once: the per-stream fact columns, the rollup grains and their sums.
// The migration creates tables from these lists, the maintenance code fills them, the query engine reads them.

/**
 * The dimensions migration 208 added. No rollup grain or reach row holds them: queries by them read the
 * per-stream facts (correct, and fast enough for ad-hoc questions); grains can follow where a page needs one.
 */
export const moreDimColumns = [
  'access_point',
  'capture_driver',
  'render_driver',
  'isp',
  'hour_of_day',
  'weekday',
  'transport',
  'relay',
  'codec',
  'endpoint_model',
  'endpoint_type',
] as const;

/** Dimension columns of a stream fact (text; '' when unknown), besides `day`/`hour` (epoch ms, UTC buckets). */
export const factDimColumns = [
  'building',
  'city',
  'country',
  'region',
  'subnet',
  'network_type',
  'wifi_band',
  'vpn',
  'inside_corp',
  'platform',
  'product_family',
  'client_version',
  'capture_device',
  'render_device',
  'user_id',
  'call_type',
  'media_type',
  'direction',
  ...moreDimColumns,
] as const;
export type FactDimColumn = (typeof factDimColumns)[number];
export type DimColumn = 'day' | 'hour' | FactDimColumn;

/** Poor reasons as bits of a fact's poor_mask, each with the rollup column counting it. */
export const poorReasonBits = {
  jitter: { bit: 1, column: 'poor_jitter' },
  roundTrip: { bit: 2, column: 'poor_round_trip' },
  packetLoss: { bit: 4, column: 'poor_packet_loss' },
  degradation: { bit: 8, column: 'poor_degradation' },
  concealedRatio: { bit: 16, column: 'poor_concealed' },
  frameLoss: { bit: 32, column: 'poor_frame_loss' },
  frameRate: { bit: 64, column: 'poor_frame_rate' },
  postFecPacketLoss: { bit: 128, column: 'poor_post_fec' },
} as const;

/**
 * Jitter histogram bucket edges in ms: bucket i holds [edge i, edge i+1), the last one [500, ∞). A p90 read
 * from it is exact to within its bucket (±0.5 ms up to 6 ms, ±2.5 ms around the 30 ms threshold).
 */
export const jitterEdgesMs = [
  0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40, 50, 60, 80, 100, 150, 200, 300, 500,
] as const;
export const jitterBucketColumns = jitterEdgesMs.map((_, i) => `jh${i}`);

export function jitterBucket(jitterUs: number): number {
  const ms = jitterUs / 1000;
  let i = jitterEdgesMs.length - 1;
  while (i > 0 && ms < jitterEdgesMs[i]) i--;
  return i;
}

/**
 * Metric sums are integers (µs, parts per million) so subtracting a call and adding it again gives exactly the
 * numbers a rebuild gives; floating-point sums would drift.
 */
export const metricSums = [
  { sum: 'jitter_sum', n: 'jitter_n', fact: 'jitter_us' },
  { sum: 'loss_sum', n: 'loss_n', fact: 'loss_ppm' },
  { sum: 'rtt_sum', n: 'rtt_n', fact: 'rtt_us' },
  { sum: 'concealed_sum', n: 'concealed_n', fact: 'concealed_ppm' },
] as const;

/** Every additive column of a rollup row. */
export const sumColumns: readonly string[] = [
  'streams',
  'classified',
  'poor',
  ...Object.values(poorReasonBits).map((r) => r.column),
  ...metricSums.flatMap((m) => [m.sum, m.n]),
  'stream_ms',
  'setup_failed',
  'dropped',
  ...jitterBucketColumns,
];

const bucketSql = jitterEdgesMs.map((edge, i) => {
  const lo = i === 0 ? '' : `jitter_us >= ${edge * 1000}`;
  const next = jitterEdgesMs[i + 1];
  const hi = next === undefined ? '' : `jitter_us < ${next * 1000}`;
  return `SUM(CASE WHEN ${[lo, hi].filter(Boolean).join(' AND ')} THEN 1 ELSE 0 END)`;
});

/** The SQL sum of each rollup column (in sumColumns order) over stream facts; rollup-cells.ts is its JS twin. */
export const factSumSql: readonly string[] = [
  'COUNT(*)',
  "SUM(CASE WHEN quality <> 'unclassified' THEN 1 ELSE 0 END)",
  "SUM(CASE WHEN quality = 'poor' THEN 1 ELSE 0 END)",
  ...Object.values(poorReasonBits).map((r) => `SUM(CASE WHEN (poor_mask & ${r.bit}) <> 0 THEN 1 ELSE 0 END)`),
  ...metricSums.flatMap((m) => [`COALESCE(SUM(${m.fact}), 0)`, `COUNT(${m.fact})`]),
  'SUM(stream_ms)',
  'SUM(setup_failed)',
  'SUM(dropped)',
  ...bucketSql,
];

export interface Grain {
  name: string;
  table: string;
  /** Key columns besides `day` (the hour grain adds `hour`). */
  dims: readonly DimColumn[];
  /**
   * Primary-key order when not media type, day, then the dims: a grain listed by its subject (per subnet, per
   * user) keeps the subject before the day, so grouping by it reads the key in order with no sort.
   */
  key?: readonly DimColumn[];
  /**
   * `week`: the same sums per ISO week (Monday–Sunday, UTC), `day` holding the week's LAST day, so a week row
   * is old enough for retention's tokenizing only when every day in it is. Week grains answer the whole weeks
   * of a long range; its edge days come from the day grain of the same name without `-week`.
   */
  period?: 'week';
}

const DAY_MS = 86_400_000;

/** The Sunday (epoch ms, UTC) ending the ISO week of a day. */
export function weekEnd(day: number): number {
  const index = Math.floor(day / DAY_MS);
  return (index - ((index + 3) % 7) + 6) * DAY_MS;
}

/** The same, in SQL over a BIGINT day column (epoch 1970-01-01 was a Thursday). */
export function weekEndSql(column: string): string {
  return `(${column} - ((${column} / ${DAY_MS} + 3) % 7) * ${DAY_MS} + ${6 * DAY_MS})`;
}

/** A grain's primary-key columns in key order. */
export function grainKeyColumns(g: Grain): readonly DimColumn[] {
  return g.key ?? ['media_type', 'day', ...g.dims.filter((d) => d !== 'media_type')];
}

const place = ['building', 'city', 'country', 'region'] as const;
const network = ['network_type', 'wifi_band', 'vpn', 'inside_corp'] as const;
const client = ['platform', 'product_family', 'client_version'] as const;

/**
 * Rollup grains, smallest first: the query engine answers from the first grain whose columns cover every
 * dimension the query groups or filters by, and from the per-stream facts when none does. Narrow grains stay
 * small however many streams arrive (days × a few hundred combinations), so dashboard questions cost the same
 * at 10 thousand and 10 million streams; `wide` answers ad-hoc mixes of the low-cardinality dimensions.
 * Changing this list needs a migration that drops, recreates and refills the changed tables (see 202–205).
 * Tables are keyed media type first, then day (204), or by their `key` (205).
 */
const dayGrains: readonly Grain[] = [
  { name: 'media', table: 'rollup_media', dims: ['media_type', 'direction', 'call_type'] },
  { name: 'network', table: 'rollup_network', dims: ['media_type', 'call_type', ...network] },
  { name: 'client', table: 'rollup_client', dims: ['media_type', ...client] },
  {
    name: 'building',
    table: 'rollup_building',
    dims: ['media_type', ...place, 'network_type', 'vpn', 'inside_corp'],
  },
  { name: 'hour', table: 'rollup_hour', dims: ['hour', 'media_type', 'call_type', 'network_type'] },
  // A subnet's place, inside-corp and VPN flags follow from the subnet, so they add no rows; its users'
  // network types would multiply them (subnet × network questions go to `wide`).
  {
    name: 'subnet',
    table: 'rollup_subnet',
    dims: ['media_type', 'subnet', ...place, 'vpn', 'inside_corp'],
    key: ['media_type', 'subnet', ...place, 'vpn', 'inside_corp', 'day'],
  },
  {
    name: 'device',
    table: 'rollup_device',
    dims: ['media_type', 'platform', 'capture_device', 'render_device'],
    key: ['media_type', 'capture_device', 'render_device', 'platform', 'day'],
  },
  {
    name: 'user',
    table: 'rollup_user',
    dims: ['media_type', 'direction', 'user_id'],
    key: ['media_type', 'user_id', 'direction', 'day'],
  },
  {
    name: 'wide',
    table: 'rollup_wide',
    dims: ['media_type', 'direction', 'call_type', ...place, 'subnet', ...network, ...client],
  },
];

/** Every rollup grain: the day grains, smallest first, then their week twins. */
export const grains: readonly Grain[] = [
  ...dayGrains,
  // Week twins of the grains whose rows grow with subnets and devices: a 90-day list reads 13 weeks, not 90 days.
  // None for users: retention turns user ids into tokens day by day, and a week row would mix days on both sides
  // of that line.
  ...(['subnet', 'device'] as const).map((name): Grain => {
    const day = dayGrains.find((g) => g.name === name) as Grain;
    return { ...day, name: `${name}-week`, table: `${day.table}_week`, period: 'week' };
  }),
];

/** The rollup tables the first analytics migration (201) created, before the narrow grains replaced them. */
export const grainTables201 = [
  'rollup_client',
  'rollup_network',
  'rollup_device',
  'rollup_subnet',
  'rollup_hour',
  'rollup_user',
  'rollup_wide',
];

/**
 * Distinct calls (and their minutes) per (day, media type, one dimension, value): exact for any query with at most
 * one dimension besides day and media type, because a call belongs to exactly one day. media_type '*' counts
 * every media type, dim '' the day's total.
 */
export const reachTable = 'rollup_reach';
/** Dimensions the reach table counts calls for (fact columns, plus `hour`). */
export const reachDims: readonly DimColumn[] = [
  'hour',
  ...factDimColumns.filter((c) => c !== 'media_type' && !(moreDimColumns as readonly string[]).includes(c)),
];

/** Per-stream facts: the client-end view of every stream, what the rollups are sums of. */
export const factsTable = 'stream_facts';
export const factKeyColumns = ['call_id', 'session_idx', 'segment_idx', 'media_idx', 'stream_idx'] as const;
export const factValueColumns = [
  'day',
  'hour',
  'call_ms',
  ...factDimColumns,
  'quality',
  'poor_mask',
  ...metricSums.map((m) => m.fact),
  'stream_ms',
  'setup_failed',
  'dropped',
] as const;
export const factColumns = [...factKeyColumns, ...factValueColumns] as const;

/** Rated session endpoints (Rate My Call), with the quality of that session's audio streams. */
export const feedbackTable = 'feedback_facts';
export const feedbackColumns = [
  'call_id',
  'session_idx',
  'side',
  'day',
  'user_id',
  'platform',
  'rating',
  'tokens',
  'audio_streams',
  'audio_classified',
  'audio_poor',
] as const;
