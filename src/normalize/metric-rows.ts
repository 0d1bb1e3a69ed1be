// The metric rows (one side of a media: deviceInfo + networkInfo; a mediaStream) built by generated functions:
// one object literal per row in column order, so every row shares one shape and each property is read by
// name. Same values as a loop over graph-names.ts's fields (tested), several times faster for 40-50 columns.
import { durationToMs } from '../graph/duration.ts';
import type { DeviceInfo, MediaStream, NetworkInfo } from '../graph/types.ts';
import { deviceInfoFields, type MetricField, networkInfoFields, streamFields } from './graph-names.ts';
import type { MediaEndpointRow, StreamRow } from './rows.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A Graph value as its column holds it, by the field's conversion (as normalize-call.ts's metric()). */
const convert = {
  duration: (v: unknown) => (typeof v === 'string' ? (durationToMs(v) ?? null) : null),
  bool: (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : null),
  value: (v: unknown) => (typeof v === 'string' ? v : num(v)),
};
type Convert = typeof convert;

/** `column: c.kind(source["graphName"])` for each field. */
function fieldLines(fields: readonly MetricField[], source: string): string[] {
  return fields.map((f) => `${f.column}: c.${f.conversion}(${source}[${JSON.stringify(f.graph)}])`);
}

type Loose = Record<string, unknown>;

export type MediaEndpointKeys = Pick<
  MediaEndpointRow,
  'call_id' | 'session_idx' | 'segment_idx' | 'media_idx' | 'side'
>;

const mediaEndpoint = new Function(
  'c',
  'k',
  'device',
  'network',
  `const d = device ?? {}; const n = network ?? {};
  return { call_id: k.call_id, session_idx: k.session_idx, segment_idx: k.segment_idx, media_idx: k.media_idx,
    side: k.side, has_device: device ? 1 : 0, has_network: network ? 1 : 0,
    ${[...fieldLines(deviceInfoFields, 'd'), ...fieldLines(networkInfoFields, 'n')].join(',\n    ')} };`,
) as (c: Convert, k: MediaEndpointKeys, d: unknown, n: unknown) => MediaEndpointRow;

/** One side of a media: every deviceInfo and networkInfo property a column. */
export function mediaEndpointRow(
  keys: MediaEndpointKeys,
  device: DeviceInfo | null | undefined,
  network: NetworkInfo | null | undefined,
): MediaEndpointRow {
  return mediaEndpoint(convert, keys, device, network);
}

/** A stream row's columns that are not mediaStream properties. */
export interface StreamStructure {
  call_id: string;
  session_idx: number;
  segment_idx: number;
  media_idx: number;
  stream_idx: number;
  call_start_time: number | null;
  label: string | null;
  start_time: number | null;
  end_time: number | null;
}

const stream = new Function(
  'c',
  'k',
  's',
  `return { call_id: k.call_id, session_idx: k.session_idx, segment_idx: k.segment_idx, media_idx: k.media_idx,
    stream_idx: k.stream_idx, call_start_time: k.call_start_time, label: k.label, media_type: 'other',
    quality: 'unclassified', poor_reasons: '', start_time: k.start_time, end_time: k.end_time,
    ${fieldLines(streamFields, 's').join(',\n    ')} };`,
) as (c: Convert, k: StreamStructure, s: Loose) => StreamRow;

/** A stream's row before classification (media_type 'other', quality 'unclassified', no poor reasons). */
export function streamRow(keys: StreamStructure, s: MediaStream): StreamRow {
  return stream(convert, keys, s as Loose);
}
