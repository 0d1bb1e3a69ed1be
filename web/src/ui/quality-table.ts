// Tables of quality rows (dimension values and measures) as the dashboard shows them: named columns, units,
// poor rows marked, and the CSV export of the very same API request.
import type { QualityRow } from '../../../src/analytics/quality-query.ts';
import type { Params } from '../api.ts';
import { type Child, int, num1, pct } from './dom.ts';
import { type Column, table } from './table.ts';

export type Format = 'int' | 'pct' | 'ratio' | 'ms' | 'text' | 'num';

export interface RowColumn {
  key: string;
  label: string;
  format?: Format;
  title?: string;
  /** Renders the cell (e.g. a link); default: the formatted value. */
  render?: (row: QualityRow) => Child;
}

export function formatValue(v: unknown, f: Format = 'text'): string {
  if (v === null || v === undefined || v === '') return f === 'text' ? '(unknown)' : '–';
  if (typeof v !== 'number') return String(v);
  switch (f) {
    case 'int':
      return int(v);
    case 'pct':
      return pct(v);
    case 'ratio':
      return pct(v * 100);
    case 'ms':
      return num1(v, 'ms');
    case 'num':
      return num1(v);
    default:
      return String(v);
  }
}

export const measureColumns: Record<string, RowColumn> = {
  streams: { key: 'streams', label: 'Streams', format: 'int' },
  classifiedStreams: {
    key: 'classifiedStreams',
    label: 'Classified',
    format: 'int',
    title: 'Streams with enough data to judge',
  },
  poorStreams: { key: 'poorStreams', label: 'Poor', format: 'int' },
  poorPercent: {
    key: 'poorPercent',
    label: 'Poor %',
    format: 'pct',
    title: 'Poor streams / classified streams',
  },
  avgJitterMs: { key: 'avgJitterMs', label: 'Jitter', format: 'ms' },
  avgPacketLoss: { key: 'avgPacketLoss', label: 'Packet loss', format: 'ratio' },
  avgRoundTripMs: { key: 'avgRoundTripMs', label: 'Round trip', format: 'ms' },
  avgConcealedRatio: { key: 'avgConcealedRatio', label: 'Concealed', format: 'ratio' },
  calls: { key: 'calls', label: 'Calls', format: 'int' },
  users: { key: 'users', label: 'Users', format: 'int' },
  minutes: { key: 'minutes', label: 'Minutes', format: 'int' },
  setupFailurePercent: { key: 'setupFailurePercent', label: 'Setup failure %', format: 'pct' },
  dropFailurePercent: { key: 'dropFailurePercent', label: 'Drop failure %', format: 'pct' },
  setupFailedStreams: { key: 'setupFailedStreams', label: 'Setup failed', format: 'int' },
  droppedStreams: { key: 'droppedStreams', label: 'Dropped', format: 'int' },
};

export interface RowsTableOptions {
  id: string;
  caption: string;
  rows: QualityRow[];
  columns: RowColumn[];
  csv?: { path: string; params: Params; filename: string };
  empty?: string;
  /** Rows whose poor % is above this are marked (default 10). */
  poorAbove?: number;
}

export function rowsTable(o: RowsTableOptions): HTMLElement {
  const columns: Column<QualityRow>[] = o.columns.map((c) => ({
    label: c.label,
    title: c.title,
    numeric: c.format !== undefined && c.format !== 'text',
    value: (r) => (c.render ? c.render(r) : formatValue(r[c.key], c.format)),
  }));
  return table({
    id: o.id,
    caption: o.caption,
    columns,
    rows: o.rows,
    rowClass: (r) =>
      typeof r.poorPercent === 'number' && r.poorPercent > (o.poorAbove ?? 10) ? 'poor' : undefined,
    csv: o.csv,
    empty: o.empty,
  });
}
