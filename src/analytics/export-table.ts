// Streams any stored table out as CSV or NDJSON, page by page on its primary key (for Excel and Power BI).
import { CalltroveError } from '../errors.ts';
import { csvRow } from '../format/csv.ts';
import type { ReadDb, SqlValue } from '../store/db.ts';
import { factKeyColumns, factsTable, feedbackTable, grains, reachTable } from '../store/rollup-grains.ts';
import { tableColumns } from '../store/schema-info.ts';

interface Exportable {
  table: string;
  key: readonly string[];
  /** Time column for --since/--until, or `call` to filter through the call's start time. */
  time?: string | 'call';
}

const streamKey = ['call_id', 'session_idx', 'segment_idx', 'media_idx'];

export const exportables: Record<string, Exportable> = {
  calls: { table: 'calls', key: ['id'], time: 'start_time' },
  participants: { table: 'call_participants', key: ['call_id', 'participant_idx'], time: 'call' },
  sessions: { table: 'call_sessions', key: ['call_id', 'session_idx'], time: 'call' },
  segments: { table: 'call_segments', key: ['call_id', 'session_idx', 'segment_idx'], time: 'call' },
  endpoints: {
    table: 'call_endpoints',
    key: ['call_id', 'session_idx', 'segment_idx', 'side'],
    time: 'call',
  },
  media: { table: 'call_media', key: streamKey, time: 'call' },
  'media-endpoints': { table: 'call_media_endpoints', key: [...streamKey, 'side'], time: 'call' },
  streams: { table: 'call_streams', key: [...streamKey, 'stream_idx'], time: 'call_start_time' },
  hops: { table: 'call_trace_route_hops', key: [...streamKey, 'side', 'hop_idx'], time: 'call' },
  buildings: { table: 'buildings', key: ['idx'] },
  'stream-facts': { table: factsTable, key: factKeyColumns, time: 'day' },
  feedback: { table: feedbackTable, key: ['call_id', 'session_idx', 'side'], time: 'day' },
  'rollup-reach': { table: reachTable, key: ['dim', 'media_type', 'day', 'value'], time: 'day' },
  ...Object.fromEntries(
    grains.map((g) => [`rollup-${g.name}`, { table: g.table, key: ['day', ...g.dims], time: 'day' }]),
  ),
  'pstn-calls': { table: 'pstn_calls', key: ['id'], time: 'start_at' },
  'direct-routing-calls': { table: 'direct_routing_calls', key: ['id'], time: 'start_at' },
};

export type ExportFormat = 'csv' | 'ndjson';

/** How stored times (epoch milliseconds) leave: ISO 8601 in UTC, as Excel and Power BI parse them, or as stored. */
export type ExportTimes = 'iso' | 'epoch-ms';
type Format = (v: SqlValue) => SqlValue;

// Every time column of the schema is epoch ms named *_time or *_at; `day` is the UTC midnight a rollup row sums
// (a week row's last day).
function timeFormat(column: string): Format | undefined {
  const iso: Format = (v) =>
    typeof v === 'number' || typeof v === 'bigint' ? new Date(Number(v)).toISOString() : v;
  if (column === 'day') return (v) => (v === null ? v : String(iso(v)).slice(0, 10));
  return /(?:_time|_at)$/.test(column) ? iso : undefined;
}

export interface ExportOptions {
  format: ExportFormat;
  since?: number;
  until?: number;
  pageSize?: number;
  /** Default `iso`. */
  times?: ExportTimes;
}

/** Yields the export line by line (header first for CSV); memory stays one page whatever the table's size. */
export async function* exportTable(db: ReadDb, name: string, o: ExportOptions): AsyncGenerator<string> {
  const spec = exportables[name];
  if (!spec)
    throw new CalltroveError('bad_request', `unknown table "${name}"`, {
      hint: `tables: ${Object.keys(exportables).join(', ')}`,
    });
  const conds: string[] = [];
  const params: SqlValue[] = [];
  if ((o.since !== undefined || o.until !== undefined) && !spec.time)
    throw new CalltroveError('bad_request', `${name} has no time to filter by`, {
      hint: 'export it without --since/--until',
    });
  const DAY = 86_400_000;
  const col = spec.time === 'call' ? 'start_time' : spec.time;
  const bound = (t: number) => (spec.time === 'day' ? Math.floor(t / DAY) * DAY : t);
  const range: string[] = [];
  if (o.since !== undefined) {
    range.push(`${col} >= ?`);
    params.push(bound(o.since));
  }
  if (o.until !== undefined) {
    range.push(spec.time === 'day' ? `${col} <= ?` : `${col} < ?`);
    params.push(spec.time === 'day' ? bound(o.until - 1) : o.until);
  }
  if (range.length)
    conds.push(
      spec.time === 'call'
        ? `call_id IN (SELECT id FROM calls WHERE ${range.join(' AND ')})`
        : range.join(' AND '),
    );
  const pageSize = o.pageSize ?? 5000;
  let after: SqlValue[] | undefined;
  let columns: string[] | undefined;
  let formats: [string, Format][] = [];
  for (;;) {
    const where = [...conds];
    const p = [...params];
    if (after) {
      where.push(`(${spec.key.join(',')}) > (${spec.key.map(() => '?').join(',')})`);
      p.push(...after);
    }
    const rows = await db.all<Record<string, SqlValue>>(
      `SELECT * FROM ${spec.table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${spec.key.join(', ')} LIMIT ${pageSize}`,
      p,
    );
    if (!columns) {
      columns = rows.length ? Object.keys(rows[0]) : await tableColumns(db, spec.table);
      if (o.format === 'csv') yield `${csvRow(columns)}\n`;
      if (o.times !== 'epoch-ms')
        formats = columns.flatMap((c): [string, Format][] => {
          const f = timeFormat(c);
          return f ? [[c, f]] : [];
        });
    }
    // The next page starts after the key as stored: take it before times are formatted.
    const last = rows.length === pageSize ? rows[rows.length - 1] : undefined;
    if (last) after = spec.key.map((k) => last[k]);
    for (const r of rows) {
      for (const [c, f] of formats) r[c] = f(r[c]);
      if (o.format === 'csv') yield `${csvRow(columns.map((c) => r[c]))}\n`;
      else yield `${JSON.stringify(r)}\n`;
    }
    if (!last) return;
  }
}
