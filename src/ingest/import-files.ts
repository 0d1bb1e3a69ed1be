// Imports call records from files/folders/globs through the one record pipeline (prepare-record.ts); one bad file
// never stops the rest. Records are written in the order they appear (a later one may be a newer version of an
// earlier one), a batch per transaction.

import { stat } from 'node:fs/promises';
import { incompleteHint, missingParts } from '../graph/completeness.ts';
import { parseDirectRoutingLogRow, parsePstnCallLogRow } from '../graph/parse.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { type Cells, emptyCells } from '../store/rollup-cells.ts';
import type { Store } from '../store/store.ts';
import { type IngestMeta, ingestRecordPart, saveBatch } from './ingest-record.ts';
import { type PreparedRecord, prepareRecord, problemOf } from './prepare-record.ts';
import {
  expandPaths,
  type InputItem,
  type InputUnit,
  isUnit,
  itemsOfUnit,
  readFileUnits,
} from './read-input.ts';

export interface ImportProblem {
  /** File (and NDJSON line), JSON path when known, and what to do: safe to print (no values). */
  message: string;
}

export interface ImportSummary {
  files: number;
  inserted: number;
  updated: number;
  unchanged: number;
  superseded: number;
  /** PSTN / Direct Routing log rows handed to their own tables. */
  logRows: number;
  failed: ImportProblem[];
  /** Impossible values stored as null, each naming file, JSON path, record and value (never a text value). */
  warnings: ImportProblem[];
  /**
   * Records in the input that are not whole (a list page or a plain GET: no sessions; pages left behind next links),
   * each saying what is missing and how to get the whole record.
   */
  incomplete: ImportProblem[];
  skipped: Array<{ source: string; reason: string }>;
}

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  records: number;
}

export interface ImportOptions {
  tenantId?: string;
  transform?: IngestMeta['transform'];
  /** Stores PSTN / Direct Routing rows found in files; without it such files are skipped with a reason. */
  saveLogRows?: (kind: 'pstn' | 'directRouting', rows: unknown[]) => Promise<number>;
  onProgress?: (p: ImportProgress) => void;
  /** The time records are received at (the clock's). */
  now: () => number;
  /** Records (lines, files) per transaction, at most (default 128; also at most 4 MB of JSON). */
  batchRecords?: number;
}

/** One transaction per job: up to this many units (lines, files) and bytes of JSON. */
const jobUnits = 128;
const jobBytes = 4 << 20;
/** From this much input on, SQLite's WAL is copied back beside the writes instead of inside their commits. */
const bulkBytes = 8 << 20;

export function emptySummary(): ImportSummary {
  return {
    files: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    superseded: 0,
    logRows: 0,
    failed: [],
    warnings: [],
    incomplete: [],
    skipped: [],
  };
}

async function handleItem(store: Store, item: InputItem, summary: ImportSummary, options: ImportOptions) {
  switch (item.kind) {
    case 'record':
      throw new Error('records go through the batch');
    case 'rows': {
      if (!options.saveLogRows) {
        summary.skipped.push({
          source: item.source,
          reason: `${item.rowKind} call log rows, not call records`,
        });
        return;
      }
      // A row that cannot be read costs only itself (it is named in the summary); the page's others are kept.
      const parse = item.rowKind === 'pstn' ? parsePstnCallLogRow : parseDirectRoutingLogRow;
      const rows: unknown[] = [];
      item.rows.forEach((r, i) => {
        try {
          rows.push(parse(r, item.source, `$.value[${i}]`));
        } catch (err) {
          summary.failed.push({ message: problemOf(err, item.source, `$.value[${i}]`) });
        }
      });
      try {
        if (rows.length > 0) summary.logRows += await options.saveLogRows(item.rowKind, rows);
      } catch (err) {
        summary.failed.push({ message: problemOf(err, item.source, '$.value') });
      }
      return;
    }
    case 'part': {
      try {
        const result = await ingestRecordPart(store, item, {
          source: item.source,
          jsonPath: '$',
          tenantId: options.tenantId,
          transform: options.transform,
          receivedAt: options.now(),
        });
        if (result) {
          summary[result.outcome]++;
          for (const message of result.warnings) summary.warnings.push({ message });
        } else
          summary.skipped.push({
            source: item.source,
            reason: `a page of ${item.property} of call record ${item.recordId}, which is not stored: import the record first`,
          });
      } catch (err) {
        summary.failed.push({ message: problemOf(err, item.source, '$.value') });
      }
      return;
    }
    case 'skip':
      summary.skipped.push({ source: item.source, reason: item.reason });
      return;
    case 'error':
      summary.failed.push({
        message: `${item.source}: ${item.jsonPath ? `${item.jsonPath}: ` : ''}${item.problem}`,
      });
  }
}

/** What a unit held: prepared records, records that failed (the message names file and JSON path), the rest. */
type PreparedItem =
  | { kind: 'prepared'; record: PreparedRecord; missing: string[] }
  | { kind: 'failed'; message: string }
  | Exclude<InputItem, { kind: 'record' }>;

interface Prepared {
  items: PreparedItem[][];
  cells: Cells;
}

/**
 * Prepares everything a unit holds; the rollup deltas of its prepared records are added to `cells`. Never
 * throws for bad input: a record that cannot be read is a `failed` item and the others go on.
 */
function prepareUnit(
  unit: InputUnit,
  o: { tenantId?: string; transform?: IngestMeta['transform']; buildings: BuildingMap },
  receivedAt: number,
  cells: Cells,
): PreparedItem[] {
  const out: PreparedItem[] = [];
  for (const item of itemsOfUnit(unit)) {
    if (item.kind !== 'record') {
      out.push(item);
      continue;
    }
    try {
      const meta = {
        source: item.source,
        jsonPath: item.jsonPath,
        tenantId: o.tenantId,
        receivedAt,
        text: item.text,
      };
      const record = prepareRecord(item.json, meta, { ...o, cells });
      const json = item.json as Record<string, unknown>;
      out.push({
        kind: 'prepared',
        record,
        missing: json && typeof json === 'object' ? missingParts(json) : [],
      });
    } catch (err) {
      out.push({ kind: 'failed', message: problemOf(err, item.source, item.jsonPath) });
    }
  }
  return out;
}

/** A job: units to prepare, with problems met while reading and file ends kept in their place among them. */
interface Job {
  entries: Array<{ unit: InputUnit; receivedAt: number } | { item: InputItem } | { fileEnd: number }>;
  units: number;
  bytes: number;
}

/** Imports every record the paths name; the summary counts each outcome and lists every failure. */
export async function importPaths(
  store: Store,
  paths: readonly string[],
  options: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary();
  const { files, missing } = await expandPaths(paths);
  for (const m of missing) summary.failed.push({ message: `${m.source}: ${m.problem}` });
  const sizes = await Promise.all(files.map(async (f) => (await stat(f).catch(() => undefined))?.size ?? 0));
  const progress: ImportProgress = {
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: sizes.reduce((a, b) => a + b, 0),
    records: 0,
  };
  options.onProgress?.(progress);
  const ctx = {
    tenantId: options.tenantId,
    transform: options.transform,
    buildings: await store.buildings.map(),
  };

  /** The job's units prepared (items per unit), their rollup deltas added up. */
  const prepare = (job: Job): Prepared => {
    const cells = emptyCells();
    const items = job.entries.flatMap((e) =>
      'unit' in e ? [prepareUnit(e.unit, ctx, e.receivedAt, cells)] : [],
    );
    return { items, cells };
  };

  const parts: InputItem[] = [];
  const countItem = async (item: PreparedItem | InputItem) => {
    if (item.kind === 'failed') summary.failed.push({ message: item.message });
    else if (item.kind === 'part') parts.push(item);
    else if (item.kind !== 'prepared' && item.kind !== 'record')
      await handleItem(store, item, summary, options);
  };
  /** Counts everything a prepared job held, in order, and writes its records in one transaction. */
  const finish = async (job: Job, { items, cells }: Prepared) => {
    let unit = 0;
    for (const entry of job.entries) {
      if ('fileEnd' in entry) {
        summary.files++;
        progress.filesDone++;
        progress.bytesDone += sizes[entry.fileEnd];
      } else if ('item' in entry) await countItem(entry.item);
      else for (const item of items[unit++]) await countItem(item);
    }
    const prepared = items.flat().flatMap((i) => (i.kind === 'prepared' ? [i] : []));
    const records = prepared.map((i) => i.record);
    const results = await saveBatch(store, records, cells);
    results.forEach((r, i) => {
      if ('error' in r)
        summary.failed.push({ message: problemOf(r.error, records[i].source, records[i].jsonPath) });
      else {
        summary[r.outcome]++;
        for (const message of r.warnings) summary.warnings.push({ message });
        const { missing } = prepared[i];
        if (missing.length > 0)
          summary.incomplete.push({
            message: `${records[i].source}: call record ${r.id} in this input is not whole (${missing.join('; ')}): ${incompleteHint()}`,
          });
      }
    });
    progress.records += records.length;
    options.onProgress?.(progress);
  };

  // On PostgreSQL a few jobs are written at once, each in its own transaction on its own connection, so this
  // process prepares the next while the server writes. A job waits for the earlier ones that hold any of its
  // records, so each record's versions are still saved in file order and the summary is the same as one writer's.
  const writers = store.reads.capabilities.concurrentWriters ? 3 : 1;
  const writing = new Map<Promise<void>, ReadonlySet<string>>();
  let writeError: unknown;
  const write = async (f: { job: Job; prepared: Prepared }) => {
    const ids = new Set<string>();
    if (writers > 1)
      for (const list of f.prepared.items)
        for (const item of list) if (item.kind === 'prepared') ids.add(item.record.call.id);
    const before = [...writing].filter(([, held]) => [...ids].some((id) => held.has(id))).map(([p]) => p);
    const done: Promise<void> = Promise.all(before)
      .then(() => finish(f.job, f.prepared))
      .catch((err: unknown) => {
        writeError ??= err;
      })
      .finally(() => writing.delete(done));
    writing.set(done, ids);
    while (writing.size >= writers) await Promise.race(writing.keys());
    if (writeError) throw writeError;
  };
  let job: Job = { entries: [], units: 0, bytes: 0 };
  const submit = async () => {
    if (job.entries.length === 0) return;
    const next = { job, prepared: prepare(job) };
    job = { entries: [], units: 0, bytes: 0 };
    await write(next);
  };
  // Checkpoints of a large import's WAL run beside the writes instead of inside its commits (SQLite).
  const stopCheckpoints = progress.bytesTotal >= bulkBytes ? store.bulkWrites() : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      for await (const unit of readFileUnits(files[i])) {
        if (!isUnit(unit)) {
          job.entries.push({ item: unit });
          continue;
        }
        job.entries.push({ unit, receivedAt: options.now() });
        job.units++;
        job.bytes += unit.bytes.byteLength;
        if (job.units >= (options.batchRecords ?? jobUnits) || job.bytes >= jobBytes) await submit();
      }
      job.entries.push({ fileEnd: i });
    }
    await submit();
    await Promise.all(writing.keys());
    if (writeError) throw writeError;
  } finally {
    await Promise.all(writing.keys());
    await stopCheckpoints?.();
  }
  for (const item of parts) await handleItem(store, item, summary, options);
  return summary;
}
