// The QER rules: audio poor stream, setup failure and drop rates over a sliding window against the guide's targets,
// for the organization and each building, with a minimum volume and a confidence bound so chance does not fire.
import { queryQuality } from '../../analytics/query-quality.ts';
import { type Check, type CheckContext, dashboardLink, type Observation, shown } from '../observation.ts';
import type { QualityMetric, Rule } from '../rules.ts';

const HOUR = 3_600_000;

/** The window [now - window, now) in whole UTC hours: from the start of the hour it begins in. */
export function windowBounds(now: number, window: number): { since: number; until: number } {
  return { since: Math.floor((now - Math.max(window, HOUR)) / HOUR) * HOUR, until: now };
}

/** Wilson score interval's lower bound (95%) of a proportion, in percent. */
export function lowerBoundPercent(hits: number, n: number, z = 1.96): number {
  if (n <= 0) return 0;
  const p = hits / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return (Math.max(0, centre - spread) / (1 + z2 / n)) * 100;
}

interface Sums {
  streams: number;
  classified: number;
  poor: number;
  setup: number;
  dropped: number;
}

const described: Record<QualityMetric, { label: string; of: string; hits: string }> = {
  poorPercent: { label: 'Audio poor stream rate', of: 'classified audio streams', hits: 'were poor' },
  setupFailurePercent: { label: 'Audio setup failure rate', of: 'audio streams', hits: 'failed at setup' },
  dropFailurePercent: { label: 'Audio drop rate', of: 'audio streams set up', hits: 'dropped' },
};

function ratio(metric: QualityMetric, s: Sums): { hits: number; n: number } {
  if (metric === 'poorPercent') return { hits: s.poor, n: s.classified };
  if (metric === 'setupFailurePercent') return { hits: s.setup, n: s.streams };
  return { hits: s.dropped, n: s.streams - s.setup };
}

function spokenWindow(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000} day(s)` : `${shown(ms / HOUR)} hours`;
}

function observe(rule: Rule, ctx: CheckContext, key: string, label: string, s: Sums): Observation {
  const metric = rule.metric ?? 'poorPercent';
  const d = described[metric];
  const { hits, n } = ratio(metric, s);
  const value = n > 0 ? (hits / n) * 100 : null;
  const lower = lowerBoundPercent(hits, n);
  const where = key === 'organization' ? 'across the organization' : `in ${label}`;
  const status =
    value === null || n < rule.minVolume
      ? 'unknown'
      : value <= rule.threshold
        ? 'clear'
        : lower > rule.threshold
          ? 'firing'
          : 'unknown';
  return {
    scopeKey: key,
    scopeLabel: label,
    status,
    value: value === null ? null : Math.round(value * 100) / 100,
    threshold: rule.threshold,
    unit: '%',
    title: `${d.label} ${value === null ? 'unknown' : `${shown(value)}%`} ${where} (target ${shown(rule.threshold)}%)`,
    explanation:
      value === null
        ? `No ${d.of} ${where} in the last ${spokenWindow(rule.window)}.`
        : `${hits} of ${n} ${d.of} ${where} ${d.hits} in the last ${spokenWindow(rule.window)} (${shown(value)}%, at least ${shown(lower)}% at 95% confidence); the QER target is ${shown(rule.threshold)}%.`,
    url: dashboardLink(ctx, key === 'organization' ? 'qer' : 'locations'),
    figures: [
      {
        name: d.label,
        value: value === null ? 'unknown' : `${shown(value)}% (target ${shown(rule.threshold)}%)`,
      },
      { name: d.of[0].toUpperCase() + d.of.slice(1), value: String(n) },
      { name: 'Window', value: `last ${spokenWindow(rule.window)}` },
    ],
  };
}

const measures = [
  'streams',
  'classifiedStreams',
  'poorStreams',
  'setupFailedStreams',
  'droppedStreams',
] as const;

function sumsOf(row: Record<string, unknown> | undefined): Sums {
  return {
    streams: Number(row?.streams ?? 0),
    classified: Number(row?.classifiedStreams ?? 0),
    poor: Number(row?.poorStreams ?? 0),
    setup: Number(row?.setupFailedStreams ?? 0),
    dropped: Number(row?.droppedStreams ?? 0),
  };
}

/** Sums of hourly rows, per the value of `key` ('' for one total). */
function sumBy(rows: Record<string, unknown>[], key: string | null): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const row of rows) {
    const k = key === null ? '' : String(row[key] ?? '');
    const s = out.get(k) ?? { streams: 0, classified: 0, poor: 0, setup: 0, dropped: 0 };
    const add = sumsOf(row);
    s.streams += add.streams;
    s.classified += add.classified;
    s.poor += add.poor;
    s.setup += add.setup;
    s.dropped += add.dropped;
    out.set(k, s);
  }
  return out;
}

export const checkQuality: Check = async (rule, ctx) => {
  // Grouped by hour so the window is cut at hours, not whole days; only hours with streams come back.
  const q = {
    ...windowBounds(ctx.now, rule.window),
    filters: { 'media-type': ['audio'] },
    measures: [...measures],
  };
  const out: Observation[] = [];
  if (rule.scope.includes('organization')) {
    const rows = await queryQuality(ctx.store.reads, { ...q, by: ['hour'] });
    const total = sumBy(rows, null).get('') ?? sumsOf(undefined);
    out.push(observe(rule, ctx, 'organization', 'the organization', total));
  }
  if (rule.scope.includes('building')) {
    const rows = await queryQuality(ctx.store.reads, { ...q, by: ['building', 'hour'] });
    for (const [building, sums] of sumBy(rows, 'building')) {
      if (!building || building === 'null') continue;
      out.push(observe(rule, ctx, `building:${building}`, building, sums));
    }
  }
  return out;
};
