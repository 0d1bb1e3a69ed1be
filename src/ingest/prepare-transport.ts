// Jobs and results between the import's main thread and its worker threads, in a compact form: the units' bytes
// and the raw copies in one transferred buffer each, every prepared record's values in one JSON text per job
// (structured clone of many small arrays costs several times more to receive than JSON.parse does).
import type { CallRow } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { type CellsJson, cellsFromJson, cellsToJson, type RecordFacts } from '../store/ingest-rollups.ts';
import type { RawEncoding } from '../store/raw-copy.ts';
import type { SaveInput } from '../store/records.ts';
import type { Cells } from '../store/rollup-cells.ts';
import type { TableValues } from '../store/row-values.ts';
import type { PreparedItem, PreparedRecord } from './prepare-unit.ts';
import type { InputUnit } from './read-input.ts';

/** Units to prepare, their bytes packed into one buffer (transferred, not copied). */
export interface JobMessage {
  id: number;
  buffer: ArrayBuffer;
  units: Array<{ kind: InputUnit['kind']; source: string; start: number; end: number; receivedAt: number }>;
}

type LightItem =
  | Exclude<PreparedItem, { kind: 'prepared' }>
  | {
      kind: 'prepared';
      source: string;
      jsonPath: string;
      sha1: string;
      size: number;
      encoding: RawEncoding;
      bodyStart: number;
      bodyEnd: number;
      tenantId: string | null;
      receivedAt: number;
    };

/** A prepared job: small items as they are, records' values in `data` (JSON), raw copies in `bodies`. */
export interface ResultMessage {
  id: number;
  /** Per unit, the items it held. */
  items: LightItem[][];
  data: string;
  bodies: ArrayBuffer;
}

type RecordData = [CallRow, TableValues, RecordFacts['streams'], RecordFacts['feedback']];

export function packJob(id: number, units: readonly InputUnit[], receivedAt: readonly number[]): JobMessage {
  const total = units.reduce((n, u) => n + u.bytes.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  const list = units.map((u, i) => {
    bytes.set(u.bytes, at);
    const entry = {
      kind: u.kind,
      source: u.source,
      start: at,
      end: at + u.bytes.byteLength,
      receivedAt: receivedAt[i],
    };
    at += u.bytes.byteLength;
    return entry;
  });
  return { id, buffer: bytes.buffer, units: list };
}

export function unpackJob(job: JobMessage): Array<{ unit: InputUnit; receivedAt: number }> {
  const bytes = new Uint8Array(job.buffer);
  return job.units.map((u) => ({
    unit: { kind: u.kind, source: u.source, bytes: bytes.subarray(u.start, u.end) },
    receivedAt: u.receivedAt,
  }));
}

export function packResult(id: number, perUnit: readonly PreparedItem[][], cells: Cells): ResultMessage {
  const records: RecordData[] = [];
  let total = 0;
  for (const items of perUnit)
    for (const item of items) if (item.kind === 'prepared') total += item.record.raw.body.byteLength;
  const bodies = new Uint8Array(total);
  let at = 0;
  const lighten = (item: PreparedItem): LightItem => {
    if (item.kind !== 'prepared') return item;
    const r = item.record;
    records.push([r.call, r.values, r.facts.streams, r.facts.feedback]);
    bodies.set(r.raw.body, at);
    at += r.raw.body.byteLength;
    return {
      kind: 'prepared',
      source: r.source,
      jsonPath: r.jsonPath,
      sha1: r.raw.sha1,
      size: r.raw.size,
      encoding: r.raw.encoding,
      bodyStart: at - r.raw.body.byteLength,
      bodyEnd: at,
      tenantId: r.tenantId,
      receivedAt: r.receivedAt,
    };
  };
  const light = perUnit.map((items) => items.map(lighten));
  return { id, items: light, data: JSON.stringify([records, cellsToJson(cells)]), bodies: bodies.buffer };
}

export function unpackResult(msg: ResultMessage): { items: PreparedItem[][]; cells: Cells } {
  const [records, cells] = JSON.parse(msg.data) as [RecordData[], CellsJson];
  const bodies = new Uint8Array(msg.bodies);
  let next = 0;
  const heavy = (item: LightItem): PreparedItem => {
    if (item.kind !== 'prepared') return item;
    const [call, values, streams, feedback] = records[next++];
    const record: PreparedRecord = {
      source: item.source,
      jsonPath: item.jsonPath,
      call,
      values,
      facts: { streams, feedback },
      raw: {
        sha1: item.sha1,
        size: item.size,
        encoding: item.encoding,
        body: bodies.subarray(item.bodyStart, item.bodyEnd),
      },
      tenantId: item.tenantId,
      receivedAt: item.receivedAt,
    };
    return { kind: 'prepared', record };
  };
  return { items: msg.items.map((list) => list.map(heavy)), cells: cellsFromJson(cells) };
}

/** What the record repository takes for a prepared record (facts built under `buildings`). */
export function saveInputOf(r: PreparedRecord, buildings: BuildingMap): SaveInput {
  return {
    rows: { packed: true, call: r.call, values: r.values },
    raw: r.raw,
    facts: { buildings, facts: r.facts },
    source: r.source,
    tenantId: r.tenantId,
    receivedAt: r.receivedAt,
  };
}
