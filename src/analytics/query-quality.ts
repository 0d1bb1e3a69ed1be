// The quality query engine: groups the stream rollups by any dimensions, filters, and computes the measures.
import { CalltroveError } from '../errors.ts';
import type { ReadDb, SqlValue } from '../store/db.ts';
import {
  type DimColumn,
  jitterBucketColumns,
  jitterEdgesMs,
  poorReasonBits,
} from '../store/rollup-grains.ts';
import {
  type Dimension,
  defaultMeasures,
  dimensionKey,
  dimensions,
  type Measure,
  measures as measureNames,
  type QualityPlan,
  type QualityQuery,
  type QualityRow,
} from './quality-query.ts';
import {
  type ColumnQuery,
  callsSql,
  DAY,
  HOUR,
  type SourceSql,
  sumsSql,
  usersSql,
} from './quality-sources.ts';

export const dimensionColumn: Record<Dimension, DimColumn> = {
  day: 'day',
  hour: 'hour',
  building: 'building',
  city: 'city',
  country: 'country',
  region: 'region',
  subnet: 'subnet',
  'network-type': 'network_type',
  'wifi-band': 'wifi_band',
  vpn: 'vpn',
  'inside-corp': 'inside_corp',
  platform: 'platform',
  'product-family': 'product_family',
  'client-version': 'client_version',
  'capture-device': 'capture_device',
  'render-device': 'render_device',
  user: 'user_id',
  'call-type': 'call_type',
  'media-type': 'media_type',
  direction: 'direction',
  'access-point': 'access_point',
  'capture-driver': 'capture_driver',
  'render-driver': 'render_driver',
  isp: 'isp',
  'hour-of-day': 'hour_of_day',
  weekday: 'weekday',
  transport: 'transport',
  relay: 'relay',
  codec: 'codec',
  'endpoint-model': 'endpoint_model',
  'endpoint-type': 'endpoint_type',
};

const reasonMeasure: Record<string, keyof typeof poorReasonBits> = {
  poorDueToJitter: 'jitter',
  poorDueToRoundTrip: 'roundTrip',
  poorDueToPacketLoss: 'packetLoss',
  poorDueToDegradation: 'degradation',
  poorDueToConcealedRatio: 'concealedRatio',
  poorDueToFrameLoss: 'frameLoss',
  poorDueToFrameRate: 'frameRate',
  poorDueToPostFecPacketLoss: 'postFecPacketLoss',
};

/** The rollup sum columns each additive measure is computed from. */
const sumsFor: Partial<Record<Measure, string[]>> = {
  streams: ['streams'],
  classifiedStreams: ['classified'],
  unclassifiedStreams: ['streams', 'classified'],
  poorStreams: ['poor'],
  poorPercent: ['poor', 'classified'],
  avgJitterMs: ['jitter_sum', 'jitter_n'],
  p90JitterMs: jitterBucketColumns,
  avgPacketLoss: ['loss_sum', 'loss_n'],
  avgRoundTripMs: ['rtt_sum', 'rtt_n'],
  avgConcealedRatio: ['concealed_sum', 'concealed_n'],
  streamMinutes: ['stream_ms'],
  setupFailedStreams: ['setup_failed'],
  droppedStreams: ['dropped'],
  setupFailurePercent: ['setup_failed', 'streams'],
  dropFailurePercent: ['dropped', 'setup_failed', 'streams'],
  ...Object.fromEntries(Object.entries(reasonMeasure).map(([m, r]) => [m, [poorReasonBits[r].column]])),
};

/** The rollup (or fact) sum columns a measure is computed from; none for distinct counts (calls, users). */
export const sumColumnsOf = (m: Measure): readonly string[] => sumsFor[m] ?? [];

const ratio = (a: number, b: number, scale = 1) => (b > 0 ? (a / b) * scale : null);

/** The 90th percentile of the jitter histogram, linear within the bucket it falls in (the last bucket: its floor). */
export function p90FromHistogram(counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = 0.9 * total;
  let before = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && before + counts[i] >= rank) {
      const lo = jitterEdgesMs[i];
      const hi = jitterEdgesMs[i + 1];
      if (hi === undefined) return lo;
      return lo + ((hi - lo) * (rank - before)) / counts[i];
    }
    before += counts[i];
  }
  return jitterEdgesMs[jitterEdgesMs.length - 1];
}

function measureValue(m: Measure, raw: Record<string, number>): number | null {
  const s = new Proxy(raw, { get: (t, k) => (typeof k === 'string' ? (t[k] ?? 0) : 0) });
  switch (m) {
    case 'unclassifiedStreams':
      return s.streams - s.classified;
    case 'poorPercent':
      return ratio(s.poor, s.classified, 100);
    case 'avgJitterMs':
      return ratio(s.jitter_sum, s.jitter_n, 1 / 1000);
    case 'p90JitterMs':
      return p90FromHistogram(jitterBucketColumns.map((c) => s[c]));
    case 'avgPacketLoss':
      return ratio(s.loss_sum, s.loss_n, 1 / 1e6);
    case 'avgRoundTripMs':
      return ratio(s.rtt_sum, s.rtt_n, 1 / 1000);
    case 'avgConcealedRatio':
      return ratio(s.concealed_sum, s.concealed_n, 1 / 1e6);
    case 'streamMinutes':
      return s.stream_ms / 60_000;
    case 'setupFailurePercent':
      return ratio(s.setup_failed, s.streams, 100);
    case 'dropFailurePercent':
      return ratio(s.dropped, s.streams - s.setup_failed, 100);
    case 'minutes':
      return s.call_ms / 60_000;
    default: {
      const cols = sumsFor[m];
      return cols ? s[cols[0]] : (s[m] ?? 0);
    }
  }
}

const bad = (message: string, hint: string) => new CalltroveError('bad_request', message, { hint });

function filterValue(d: Dimension, v: string): SqlValue {
  if (d === 'day') {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : Number.NaN;
    if (!Number.isFinite(ms)) throw bad(`bad day "${v}"`, 'write days as YYYY-MM-DD, e.g. 2024-05-01');
    return ms;
  }
  if (d === 'hour') {
    const ms = Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}/.test(v) || !Number.isFinite(ms))
      throw bad(`bad hour "${v}"`, 'write hours as YYYY-MM-DDTHH:00Z, e.g. 2024-05-01T13:00Z');
    return Math.floor(ms / HOUR) * HOUR;
  }
  if (d === 'vpn' || d === 'inside-corp') {
    const t = v.toLowerCase();
    if (['true', '1', 'yes'].includes(t)) return 'true';
    if (['false', '0', 'no'].includes(t)) return 'false';
    throw bad(`bad ${d} value "${v}"`, `${d} is true or false`);
  }
  return v;
}

function formatDim(col: DimColumn, v: unknown): string | null {
  if (col === 'day') return new Date(Number(v)).toISOString().slice(0, 10);
  if (col === 'hour') return `${new Date(Number(v)).toISOString().slice(0, 13)}:00Z`;
  return v === '' || v === null || v === undefined ? null : String(v);
}

/** Checks a query and reduces it to columns; throws bad_request naming the valid choices. */
export function columnQuery(q: QualityQuery): ColumnQuery {
  const valid = (d: string) => (dimensions as readonly string[]).includes(d);
  for (const d of [...q.by, ...Object.keys(q.filters ?? {})])
    if (!valid(d)) throw bad(`unknown dimension "${d}"`, `valid dimensions: ${dimensions.join(', ')}`);
  for (const m of q.measures ?? [])
    if (!(measureNames as readonly string[]).includes(m))
      throw bad(`unknown measure "${m}"`, `valid measures: ${measureNames.join(', ')}`);
  for (const [name, t] of [
    ['since', q.since],
    ['until', q.until],
  ] as const)
    if (t !== undefined && !Number.isFinite(t))
      throw bad(`bad ${name}`, `${name} is a time in epoch milliseconds`);
  if (q.since !== undefined && q.until !== undefined && q.since >= q.until)
    throw bad('since must be before until', 'give a since earlier than until');
  const filters = new Map<DimColumn, SqlValue[]>();
  for (const [d, values] of Object.entries(q.filters ?? {}) as [Dimension, string[] | undefined][]) {
    if (!values || values.length === 0) continue;
    filters.set(dimensionColumn[d], [...new Set(values.map((v) => filterValue(d, v)))]);
  }
  const by = [...new Set(q.by)].map((d) => dimensionColumn[d]);
  return { by, filters, time: timeBuckets(q, by.includes('hour') || filters.has('hour')) };
}

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;

/**
 * The buckets of [since, until): hour buckets when grouping or filtering by hour, else the whole UTC days inside
 * the window plus the hours at its edges. Callers pass whole-hour windows (period.ts); a bound inside an hour
 * keeps that hour.
 */
export function timeBuckets(q: Pick<QualityQuery, 'since' | 'until'>, hourly: boolean): ColumnQuery['time'] {
  const hours = {
    ...(q.since !== undefined ? { from: floorTo(q.since, HOUR) } : {}),
    ...(q.until !== undefined ? { to: floorTo(q.until - 1, HOUR) } : {}),
  };
  if (hourly) return { column: 'hour', ...hours, hours };
  const firstDay = hours.from === undefined ? undefined : Math.ceil(hours.from / DAY) * DAY;
  const lastDay = hours.to === undefined ? undefined : floorTo(hours.to + HOUR, DAY) - DAY;
  if (firstDay !== undefined && lastDay !== undefined && firstDay > lastDay)
    return { column: 'hour', ...hours, hours };
  const edgeHours: { from: number; to: number }[] = [];
  if (hours.from !== undefined && firstDay !== undefined && hours.from < firstDay)
    edgeHours.push({ from: hours.from, to: firstDay - HOUR });
  if (hours.to !== undefined && lastDay !== undefined && hours.to >= lastDay + DAY)
    edgeHours.push({ from: lastDay + DAY, to: hours.to });
  return {
    column: 'day',
    ...(firstDay !== undefined ? { from: firstDay } : {}),
    ...(lastDay !== undefined ? { to: lastDay } : {}),
    ...(edgeHours.length ? { edgeHours } : {}),
    hours,
  };
}

type Raw = Record<string, unknown>;

function outputMeasures(q: QualityQuery): readonly Measure[] {
  return q.measures?.length ? [...new Set(q.measures)] : defaultMeasures;
}

/** The requested measures plus any the order names. */
function computedMeasures(q: QualityQuery): Measure[] {
  const out = new Set<Measure>(outputMeasures(q));
  for (const o of q.orderBy ?? []) {
    if ((measureNames as readonly string[]).includes(o.key)) out.add(o.key as Measure);
    else if (!q.by.includes(o.key as Dimension))
      throw bad(`cannot order by "${o.key}"`, 'order by a measure or one of the grouped dimensions');
  }
  return [...out];
}

/** How to answer; the default reads rollups wherever they cover the query. */
export interface QualityOptions {
  /** Read the per-stream facts only (benchmarks and tests compare the two answers). */
  factsOnly?: boolean;
  /**
   * The ready-made answers built on queryQuality (overview, worst lists, reliability...) also count each row's
   * distinct users in their grouped tables, by the very query that made the row: what small-group folding needs.
   */
  withUsers?: boolean;
}

/** `users` when the options ask each grouped row to count its users. */
export const usersIf = (o: QualityOptions): Measure[] => (o.withUsers ? ['users'] : []);

/** The statements a query runs, one per measure family it needs. */
export function planQuality(
  q: QualityQuery,
  options: QualityOptions = {},
): { sums?: SourceSql[]; calls?: SourceSql[]; users?: SourceSql } {
  const cq = { ...columnQuery(q), factsOnly: options.factsOnly };
  const ms = computedMeasures(q);
  const cols = new Set<string>();
  for (const m of ms) for (const c of sumsFor[m] ?? []) cols.add(c);
  if (q.minClassifiedStreams) cols.add('classified');
  const wantsCalls = ms.includes('calls') || ms.includes('minutes');
  return {
    ...(cols.size || (!wantsCalls && !ms.includes('users'))
      ? { sums: sumsSql(cq, [...(cols.size ? cols : ['streams'])]) }
      : {}),
    ...(wantsCalls ? { calls: callsSql(cq) } : {}),
    ...(ms.includes('users') ? { users: usersSql(cq) } : {}),
  };
}

/** Which tables a query would read (for the API's explain output and the benchmark). */
export function explainQuality(q: QualityQuery): QualityPlan[] {
  const plan = planQuality(q);
  return [...(plan.sums ?? []), ...(plan.calls ?? []), plan.users]
    .filter((s) => s !== undefined)
    .map((s) => ({
      source: s.source,
      rollup: s.source !== 'stream_facts',
    }));
}

/** Answers a quality query from the rollups (or the per-stream facts when no rollup covers it). */
export async function queryQuality(
  db: ReadDb,
  q: QualityQuery,
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  const cq = columnQuery(q);
  const plan = planQuality(q, options);
  const ms = outputMeasures(q);
  const computed = computedMeasures(q);
  const groups = new Map<string, Record<string, number> & { _dims: unknown[] }>();
  const merge = (rows: Raw[]) => {
    for (const r of rows) {
      const dims = cq.by.map((c) => (c === 'day' || c === 'hour' ? Number(r[c]) : String(r[c] ?? '')));
      const key = JSON.stringify(dims);
      let g = groups.get(key);
      if (!g) {
        g = Object.assign(Object.create(null) as Record<string, number>, { _dims: dims });
        groups.set(key, g);
      }
      // A measure family answered by several statements (week and day rows of one grain) is summed.
      for (const [k, v] of Object.entries(r))
        if (!cq.by.includes(k as DimColumn)) g[k] = (g[k] ?? 0) + Number(v ?? 0);
    }
  };
  for (const s of [...(plan.sums ?? []), ...(plan.calls ?? []), plan.users])
    if (s) merge(await db.all<Raw>(s.sql, s.params));
  const rows: { row: QualityRow; dims: unknown[] }[] = [];
  for (const g of groups.values()) {
    if (q.minClassifiedStreams && (g.classified ?? 0) < q.minClassifiedStreams) continue;
    const row: QualityRow = {};
    cq.by.forEach((c, i) => {
      row[dimensionKey(q.by[i])] = formatDim(c, g._dims[i]);
    });
    for (const m of computed) row[m] = measureValue(m, g);
    rows.push({ row, dims: g._dims });
  }
  const sorted = order(rows, q, ms).slice(0, q.limit ?? undefined);
  // Measures computed only to order by are not returned.
  const extra = computed.filter((m) => !ms.includes(m));
  for (const r of sorted) for (const m of extra) delete r.row[m];
  return sorted.map((r) => r.row);
}
function order(
  rows: { row: QualityRow; dims: unknown[] }[],
  q: QualityQuery,
  ms: readonly Measure[],
): { row: QualityRow; dims: unknown[] }[] {
  const by = [...new Set(q.by)];
  const time = by.filter((d) => d === 'day' || d === 'hour');
  const keys =
    q.orderBy && q.orderBy.length > 0
      ? q.orderBy
      : time.length > 0
        ? time.map((d) => ({ key: d, direction: 'asc' as const }))
        : [{ key: ms.includes('streams') ? 'streams' : ms[0], direction: 'desc' as const }];
  const value = (r: { row: QualityRow }, key: string) => {
    const k = (dimensions as readonly string[]).includes(key) ? dimensionKey(key as Dimension) : key;
    return r.row[k];
  };
  const cmp = (a: unknown, b: unknown) => {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    return a < b ? -1 : 1;
  };
  return rows.sort((a, b) => {
    for (const k of keys) {
      const va = value(a, k.key);
      const vb = value(b, k.key);
      // Unknown values (null) sort last whichever the direction.
      if (va === null || va === undefined || vb === null || vb === undefined) {
        const c = cmp(va, vb);
        if (c !== 0) return c;
        continue;
      }
      const c = cmp(va, vb) * (k.direction === 'desc' ? -1 : 1);
      if (c !== 0) return c;
    }
    return cmp(JSON.stringify(a.dims), JSON.stringify(b.dims));
  });
}
