// Where each family of quality measures is read from, and the SQL that reads it: the smallest rollup grain that
// covers the query, the distinct-call reach table, the per-user grain, or the per-stream facts as a last resort.
import type { SqlValue } from '../store/db.ts';
import {
  type DimColumn,
  factSumSql,
  factsTable,
  grains,
  reachDims,
  reachTable,
  sumColumns,
  weekEnd,
} from '../store/rollup-grains.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** A query reduced to columns: grouped columns, filter values per column, and the time bucket range. */
export interface ColumnQuery {
  by: DimColumn[];
  filters: Map<DimColumn, SqlValue[]>;
  /**
   * Bucket column for the time range; its first and last bucket (epoch ms, inclusive). A window that is not made
   * of whole days is read as its whole days plus `edgeHours`, the hour buckets before and after them (each range
   * inclusive), so nothing outside the window is counted. `hours` is the whole window in hour buckets.
   */
  time: {
    column: 'day' | 'hour';
    from?: number;
    to?: number;
    edgeHours?: { from: number; to: number }[];
    hours?: { from?: number; to?: number };
  };
  /** Read the per-stream facts even where a rollup would answer (benchmarks and tests compare the two). */
  factsOnly?: boolean;
}

export interface SourceSql {
  source: string;
  sql: string;
  params: SqlValue[];
}

function where(
  q: ColumnQuery,
  map: (c: DimColumn) => string = (c) => c,
  extra: string[] = [],
  timeValue: (v: number) => SqlValue = (v) => v,
): [string, SqlValue[]] {
  const parts = [...extra];
  const params: SqlValue[] = [];
  const t = q.time;
  if (t.from !== undefined) {
    parts.push(`${map(t.column)} >= ?`);
    params.push(timeValue(t.from));
  }
  if (t.to !== undefined) {
    parts.push(`${map(t.column)} <= ?`);
    params.push(timeValue(t.to));
  }
  // Hour ranges also bound the day, the column every table is indexed (and partitioned) by.
  if (t.column === 'hour' && map('day') === 'day') {
    if (t.from !== undefined) {
      parts.push('day >= ?');
      params.push(Math.floor(t.from / DAY) * DAY);
    }
    if (t.to !== undefined) {
      parts.push('day <= ?');
      params.push(Math.floor(t.to / DAY) * DAY);
    }
  }
  for (const [col, values] of q.filters) {
    parts.push(`${map(col)} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  }
  return [parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params];
}

function needed(q: ColumnQuery): Set<DimColumn> {
  const s = new Set<DimColumn>([...q.by, ...q.filters.keys()]);
  if (q.time.column === 'hour') s.add('hour');
  return s;
}

/** The query's statements for its whole days and for each of its edge hour ranges (additive families only). */
function bySegment(q: ColumnQuery, sql: (q: ColumnQuery) => SourceSql[]): SourceSql[] | undefined {
  const edges = q.time.edgeHours;
  if (!edges?.length) return undefined;
  const days = { ...q, time: { column: 'day' as const, from: q.time.from, to: q.time.to } };
  return [
    ...sql(days),
    ...edges.flatMap((e) => sql({ ...q, time: { column: 'hour', from: e.from, to: e.to } })),
  ];
}

/**
 * A long range split for a grain's week twin: the whole ISO weeks inside it (week rows are keyed by their Sunday)
 * and the days before the first and after the last whole week. Undefined when no whole week fits.
 */
export function splitWeeks(
  from: number | undefined,
  to: number | undefined,
): { weeks: { from?: number; to?: number }; edges: { from?: number; to: number }[] } | undefined {
  const firstMonday =
    from === undefined ? undefined : weekEnd(from) - 6 * DAY === from ? from : weekEnd(from) + DAY;
  const lastSunday = to === undefined ? undefined : weekEnd(to) === to ? to : weekEnd(to) - 7 * DAY;
  if (firstMonday !== undefined && lastSunday !== undefined && firstMonday + 6 * DAY > lastSunday)
    return undefined;
  const edges: { from?: number; to: number }[] = [];
  if (from !== undefined && firstMonday !== undefined && from < firstMonday)
    edges.push({ from, to: firstMonday - DAY });
  if (to !== undefined && lastSunday !== undefined && to > lastSunday)
    edges.push({ from: lastSunday + DAY, to });
  return {
    weeks: {
      ...(firstMonday !== undefined ? { from: firstMonday + 6 * DAY } : {}),
      ...(lastSunday !== undefined ? { to: lastSunday } : {}),
    },
    edges,
  };
}

function grainSql(table: string, q: ColumnQuery, columns: readonly string[]): SourceSql {
  const [w, params] = where(q);
  const select = [...q.by, ...columns.map((c) => `SUM(${c}) AS ${c}`)].join(', ');
  const groupBy = q.by.length ? ` GROUP BY ${q.by.join(', ')}` : '';
  return { source: table, sql: `SELECT ${select} FROM ${table}${w}${groupBy}`, params };
}

/**
 * Additive measures: the first day grain whose key holds every grouped and filtered column (its whole weeks read
 * from its week twin when it has one and the query is not by day or hour), else the facts. Several statements
 * are summed by group.
 */
export function sumsSql(q: ColumnQuery, columns: readonly string[]): SourceSql[] {
  const split = bySegment(q, (p) => sumsSql(p, columns));
  if (split) return split;
  const need = needed(q);
  need.delete('day');
  const grain = q.factsOnly
    ? undefined
    : grains.find((g) => !g.period && [...need].every((c) => g.dims.includes(c)));
  if (grain) {
    const week = grains.find((g) => g.period === 'week' && g.table === `${grain.table}_week`);
    const split =
      week && !need.has('hour') && !q.by.includes('day') && !q.filters.has('day')
        ? splitWeeks(q.time.from, q.time.to)
        : undefined;
    if (week && split)
      return [
        grainSql(week.table, { ...q, time: { column: 'day', ...split.weeks } }, columns),
        ...split.edges.map((e) => grainSql(grain.table, { ...q, time: { column: 'day', ...e } }, columns)),
      ];
    return [grainSql(grain.table, q, columns)];
  }
  const [w, params] = where(q);
  const exprs = columns.map((c) => `${factSumSql[sumColumns.indexOf(c)]} AS ${c}`);
  const groupBy = q.by.length ? ` GROUP BY ${q.by.join(', ')}` : '';
  return [
    {
      source: factsTable,
      sql: `SELECT ${[...q.by, ...exprs].join(', ')} FROM ${factsTable}${w}${groupBy}`,
      params,
    },
  ];
}

/**
 * Distinct calls and their minutes. The reach table counts each call once per (day, media type, dimension,
 * value), so it answers exactly when at most one dimension besides day and media type is grouped or filtered,
 * and a filter on a column not grouped names a single value (summing two values would count a call in both twice).
 */
export function callsSql(q: ColumnQuery): SourceSql[] {
  // A call belongs to exactly one hour and day: the segments' distinct calls add up.
  const split = bySegment(q, callsSql);
  if (split) return split;
  const need = needed(q);
  need.delete('day');
  need.delete('media_type');
  const multiValue = [...q.filters].some(([c, v]) => v.length > 1 && !q.by.includes(c));
  // The reach table counts only its own dimensions (not the ones 208 added).
  const counted = [...need].every((c) => reachDims.includes(c));
  if (!q.factsOnly && need.size <= 1 && !multiValue && counted) {
    const dim = need.size === 1 ? [...need][0] : '';
    const media = q.filters.get('media_type');
    const extra = ['dim = ?'];
    const params: SqlValue[] = [dim];
    if (q.by.includes('media_type')) extra.push("media_type <> '*'");
    else if (!media) extra.push("media_type = '*'");
    // The hour lives in `value` as 13-digit epoch ms text, so text order is time order: compare as text.
    const map = (c: DimColumn): string => (c === dim ? 'value' : c);
    const asText = (v: SqlValue) => (dim === 'hour' && typeof v === 'number' ? String(v) : v);
    const rq: ColumnQuery = {
      ...q,
      filters: new Map([...q.filters].map(([c, v]) => [c, c === 'hour' ? v.map(asText) : v])),
    };
    const [w, wp] = where(rq, map, extra, asText);
    const select = [
      ...q.by.map((c) => `${map(c)} AS ${c}`),
      'SUM(calls) AS calls',
      'SUM(call_ms) AS call_ms',
    ];
    const groupBy = q.by.length ? ` GROUP BY ${q.by.map(map).join(', ')}` : '';
    return [
      {
        source: reachTable,
        sql: `SELECT ${select.join(', ')} FROM ${reachTable}${w}${groupBy}`,
        params: [...params, ...wp],
      },
    ];
  }
  const [w, params] = where(q);
  const inner = `SELECT DISTINCT ${[...q.by, 'call_id', 'call_ms'].join(', ')} FROM ${factsTable}${w}`;
  const groupBy = q.by.length ? ` GROUP BY ${q.by.join(', ')}` : '';
  return [
    {
      source: factsTable,
      sql: `SELECT ${[...q.by, 'COUNT(*) AS calls', 'SUM(call_ms) AS call_ms'].join(', ')} FROM (${inner}) x${groupBy}`,
      params,
    },
  ];
}

/** Distinct users: from the per-user grain when only day, media type and direction accompany the user. */
export function usersSql(q: ColumnQuery): SourceSql {
  const need = needed(q);
  for (const c of ['day', 'media_type', 'direction', 'user_id'] as const) need.delete(c);
  const table = need.size === 0 && !q.factsOnly ? 'rollup_user' : factsTable;
  const groupBy = q.by.length ? ` GROUP BY ${q.by.join(', ')}` : '';
  const edges = q.time.edgeHours;
  if (edges?.length) {
    // Distinct users do not add up across segments: one DISTINCT over the whole days' rows and the edge hours'.
    const select = `SELECT ${[...q.by, 'user_id'].join(', ')} FROM `;
    const segments: { table: string; q: ColumnQuery }[] = [
      { table, q: { ...q, time: { column: 'day', from: q.time.from, to: q.time.to } } },
      ...edges.map((e) => ({ table: factsTable, q: { ...q, time: { column: 'hour' as const, ...e } } })),
    ];
    const parts = segments.map((p) => {
      const [w, params] = where(p.q, (c) => c, ["user_id <> ''"]);
      return { sql: `${select}${p.table}${w}`, params };
    });
    return {
      source: table,
      sql: `SELECT ${[...q.by, 'COUNT(DISTINCT user_id) AS users'].join(', ')} FROM (${parts.map((x) => x.sql).join(' UNION ALL ')}) u${groupBy}`,
      params: parts.flatMap((x) => x.params),
    };
  }
  const [w, params] = where(q, (c) => c, ["user_id <> ''"]);
  return {
    source: table,
    sql: `SELECT ${[...q.by, 'COUNT(DISTINCT user_id) AS users'].join(', ')} FROM ${table}${w}${groupBy}`,
    params,
  };
}
