// Column <-> Graph property names for the metric tables (deviceInfo, networkInfo, mediaStream), declared once so
// normalization (Graph -> rows) and the detail view (rows -> Graph shape) agree.
import { type ColumnKind, deviceInfoColumns, networkInfoColumns, streamColumns } from './rows.ts';

/** How a column's value is derived from its Graph property. */
export type Conversion = 'value' | 'bool' | 'duration';

export interface MetricField {
  column: string;
  /** Graph's property name, e.g. `averageJitter` for `average_jitter_ms`. */
  graph: string;
  conversion: Conversion;
}

/** Graph spellings that the mechanical snake_case -> camelCase rule does not produce. */
const exceptions: Record<string, string> = {
  reflexive_ip_address: 'reflexiveIPAddress',
  relay_ip_address: 'relayIPAddress',
};

function camel(snake: string): string {
  return exceptions[snake] ?? snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function fields(spec: Record<string, ColumnKind>, skip: readonly string[]): MetricField[] {
  const out: MetricField[] = [];
  for (const [column, kind] of Object.entries(spec)) {
    if (skip.includes(column)) continue;
    if (column.endsWith('_ms'))
      out.push({ column, graph: camel(column.slice(0, -3)), conversion: 'duration' });
    else out.push({ column, graph: camel(column), conversion: kind.startsWith('bool') ? 'bool' : 'value' });
  }
  return out;
}

export const deviceInfoFields: readonly MetricField[] = fields(deviceInfoColumns, []);
export const networkInfoFields: readonly MetricField[] = fields(networkInfoColumns, []);

/** Stream columns that are not a mediaStream property (keys, classification) or need their own handling (times). */
export const streamStructuralColumns = [
  'call_id',
  'session_idx',
  'segment_idx',
  'media_idx',
  'stream_idx',
  'call_start_time',
  'label',
  'media_type',
  'quality',
  'poor_reasons',
  'start_time',
  'end_time',
] as const;

export const streamFields: readonly MetricField[] = fields(streamColumns, streamStructuralColumns);
