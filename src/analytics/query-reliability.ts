// Setup failure and drop rates grouped by any dimensions, with each failure placed where its attribution puts it
// (list-failed-streams.ts): a failure inferred to a building leaves "(unknown)" and counts, with its stream, there.
import type { ReadDb } from '../store/db.ts';
import type { DimColumn } from '../store/rollup-grains.ts';
import type { FailedStream } from './list-failed-streams.ts';
import { dimensionKey, type QualityQuery, type QualityRow } from './quality-query.ts';
import type { ColumnQuery } from './quality-sources.ts';
import { columnQuery, type QualityOptions, queryQuality, usersIf } from './query-quality.ts';

/** The one definition of the rates, as CQD and the QER guide give them. */
export const reliabilityMeasures = [
  'streams',
  'setupFailedStreams',
  'droppedStreams',
  'setupFailurePercent',
  'dropFailurePercent',
] as const;

const pct = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);

/** setup failure % = setup-failed streams / all streams; drop failure % = dropped / streams set up. */
export function withRates(row: QualityRow): QualityRow {
  const streams = Number(row.streams ?? 0);
  const setup = Number(row.setupFailedStreams ?? 0);
  const dropped = Number(row.droppedStreams ?? 0);
  return {
    ...row,
    setupFailurePercent: pct(setup, streams),
    dropFailurePercent: pct(dropped, streams - setup),
  };
}

function matches(dims: Record<string, string | number>, cq: ColumnQuery): boolean {
  // Every failed stream carries its hour: the window's hour buckets decide, whole days and edge hours alike.
  const t = Number(dims.hour);
  const hours = cq.time.hours ?? {};
  if ((hours.from !== undefined && t < hours.from) || (hours.to !== undefined && t > hours.to)) return false;
  for (const [col, values] of cq.filters) {
    const v = dims[col];
    if (!values.some((x) => (typeof x === 'number' ? Number(v) === x : String(v ?? '') === String(x))))
      return false;
  }
  return true;
}

function shown(col: DimColumn, v: string | number | undefined): string | null {
  if (col === 'day') return new Date(Number(v)).toISOString().slice(0, 10);
  if (col === 'hour') return `${new Date(Number(v)).toISOString().slice(0, 13)}:00Z`;
  return v === '' || v === undefined ? null : String(v);
}

/**
 * The reliability measures of `q` (its `measures` are ignored; `users` too when the options ask, for folding): the rollups' sums, then every inferred failure
 * moved from the group its stored (unknown) network puts it in to the group its inferred network does, each
 * side counted only where it passes the query's filters. Rows are ordered and limited as `q` says.
 */
export async function queryReliability(
  db: ReadDb,
  q: QualityQuery,
  failed: FailedStream[],
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  const cq = columnQuery(q);
  const rows = await queryQuality(
    db,
    { ...q, measures: [...reliabilityMeasures, ...usersIf(options)], orderBy: undefined, limit: undefined },
    options,
  );
  const keys = q.by.map(dimensionKey);
  const id = (r: QualityRow) => JSON.stringify(keys.map((k) => r[k] ?? null));
  const groups = new Map(rows.map((r) => [id(r), { ...r }]));
  const move = (dims: Record<string, string | number>, f: FailedStream, sign: 1 | -1) => {
    if (!matches(dims, cq)) return;
    const row: QualityRow = {};
    cq.by.forEach((c, i) => {
      row[keys[i]] = shown(c, dims[c]);
    });
    const g = groups.get(id(row)) ?? { ...row, streams: 0, setupFailedStreams: 0, droppedStreams: 0 };
    groups.set(id(row), g);
    g.streams = Number(g.streams) + sign;
    if (f.stage === 'callSetup') g.setupFailedStreams = Number(g.setupFailedStreams) + sign;
    else g.droppedStreams = Number(g.droppedStreams) + sign;
  };
  for (const f of failed) {
    if (f.attribution !== 'inferred') continue;
    move(f.stored, f, -1);
    move(f.placed, f, 1);
  }
  const out = [...groups.values()].filter((r) => Number(r.streams) > 0).map(withRates);
  const order = q.orderBy?.length ? q.orderBy : [{ key: 'streams', direction: 'desc' as const }];
  const value = (r: QualityRow, key: string) => {
    const k = q.by.includes(key as never) ? dimensionKey(key as never) : key;
    return r[k];
  };
  out.sort((a, b) => {
    for (const o of order) {
      const va = value(a, o.key);
      const vb = value(b, o.key);
      if (va === vb) continue;
      if (va === null || va === undefined) return 1;
      if (vb === null || vb === undefined) return -1;
      const c = va < vb ? -1 : 1;
      return o.direction === 'desc' ? -c : c;
    }
    return id(a) < id(b) ? -1 : 1;
  });
  return out.slice(0, q.limit ?? undefined);
}
