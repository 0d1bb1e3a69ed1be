// Imports call records from files/folders/globs through the one ingest pipeline; one bad file never stops the rest.
// Reading and writing happen here; the CPU work in between (prepare-unit.ts) runs in worker threads for large
// inputs, in order: records are written as they appear (a later one may be a newer version of an earlier one).

import { stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseDirectRoutingLogRow, parsePstnCallLogRow } from '../graph/parse.ts';
import type { Building, BuildingMap } from '../quality/buildings.ts';
import { type Cells, emptyCells } from '../store/rollup-cells.ts';
import type { Store } from '../store/store.ts';
import { type IngestMeta, ingestRecordPart, saveBatch } from './ingest-record.ts';
import { PreparePool, type TransformFactory } from './prepare-pool.ts';
import { saveInputOf, unpackResult } from './prepare-transport.ts';
import { type PreparedItem, prepareUnit, problemOf } from './prepare-unit.ts';
import { expandPaths, type InputItem, type InputUnit, isUnit, readFileUnits } from './read-input.ts';

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
  /**
   * How a worker thread makes the same transform as `transform` (a function cannot be sent there). Without
   * it, an import with a transform prepares every record on the main thread.
   */
  transformFactory?: TransformFactory;
  /** Stores PSTN / Direct Routing rows found in files; without it such files are skipped with a reason. */
  saveLogRows?: (kind: 'pstn' | 'directRouting', rows: unknown[]) => Promise<number>;
  onProgress?: (p: ImportProgress) => void;
  now?: () => number;
  /** Worker threads for parsing, validating, normalizing and compressing (default: by input size and cores). */
  workers?: number;
  /** Records (lines, files) per transaction, at most (default 128; also at most 4 MB of JSON). */
  batchRecords?: number;
}

/** One transaction per job: up to this many units (lines, files) and bytes of JSON. */
const jobUnits = 128;
const jobBytes = 4 << 20;
/** Below this much input, starting workers costs more than it saves. */
const workerMinBytes = 8 << 20;

export function emptySummary(): ImportSummary {
  return {
    files: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    superseded: 0,
    logRows: 0,
    failed: [],
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
      try {
        const parse = item.rowKind === 'pstn' ? parsePstnCallLogRow : parseDirectRoutingLogRow;
        const rows = item.rows.map((r, i) => parse(r, item.source, `$.value[${i}]`));
        summary.logRows += await options.saveLogRows(item.rowKind, rows);
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
          receivedAt: options.now?.(),
        });
        if (result) summary[result.outcome]++;
        else
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

interface Prepared {
  items: PreparedItem[][];
  cells: Cells;
}

/** A job: units to prepare, with problems met while reading and file ends kept in their place among them. */
interface Job {
  entries: Array<{ unit: InputUnit; receivedAt: number } | { item: InputItem } | { fileEnd: number }>;
  units: number;
  bytes: number;
}

/** The building map and its list as read now (workers build the same map from the list). */
async function currentBuildings(store: Store): Promise<{ map: BuildingMap; list: Building[] }> {
  for (;;) {
    const map = await store.buildings.map();
    const list = await store.buildings.list();
    if ((await store.buildings.map()) === map) return { map, list };
  }
}

/**
 * Workers pay only with idle cores: the main thread keeps one busy writing, and on a busy machine the extra
 * threads (each parsing its share, then handing the rows over as JSON) add CPU time without saving any.
 */
function workerCount(options: ImportOptions, bytes: number): number {
  if (options.workers !== undefined) return options.workers;
  if (options.transform && !options.transformFactory) return 0;
  if (bytes < workerMinBytes) return 0;
  const idle = availableParallelism() - loadavg()[0];
  return Math.max(0, Math.min(2, Math.floor(idle) - 1));
}

/** Imports every record the paths name; the summary counts each outcome and lists every failure. */
export async function importPaths(
  store: Store,
  paths: readonly string[],
  options: ImportOptions = {},
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
  const buildings = await currentBuildings(store);
  const workers = workerCount(options, progress.bytesTotal);
  const pool =
    workers > 0
      ? new PreparePool(workers, {
          tenantId: options.tenantId,
          transform: options.transformFactory,
          buildings: buildings.list,
        })
      : undefined;
  const ctx = { tenantId: options.tenantId, transform: options.transform, buildings: buildings.map };

  /** The job's units prepared (items per unit): by a worker, or here (no pool, or the pool broke). */
  const prepare = async (job: Job): Promise<Prepared> => {
    const units = job.entries.flatMap((e) => ('unit' in e ? [e] : []));
    if (pool) {
      try {
        return unpackResult(
          await pool.run(
            units.map((u) => u.unit),
            units.map((u) => u.receivedAt),
          ),
        );
      } catch {
        // A worker that stopped must not lose the records: they are prepared here instead.
      }
    }
    const cells = emptyCells();
    return { items: units.map((u) => prepareUnit(u.unit, ctx, u.receivedAt, cells)), cells };
  };

  const parts: InputItem[] = [];
  const countItem = async (item: PreparedItem | InputItem) => {
    if (item.kind === 'failed') summary.failed.push({ message: item.message });
    else if (item.kind === 'part') parts.push(item);
    else if (item.kind !== 'prepared' && item.kind !== 'record')
      await handleItem(store, item, summary, options);
  };
  /** Counts everything a prepared job held, in order, and writes its records in one transaction. */
  const finish = async (job: Job, prepared: Promise<Prepared>) => {
    const { items, cells } = await prepared;
    let unit = 0;
    for (const entry of job.entries) {
      if ('fileEnd' in entry) {
        summary.files++;
        progress.filesDone++;
        progress.bytesDone += sizes[entry.fileEnd];
      } else if ('item' in entry) await countItem(entry.item);
      else for (const item of items[unit++]) await countItem(item);
    }
    const records = items.flat().flatMap((i) => (i.kind === 'prepared' ? [i.record] : []));
    const results = await saveBatch(
      store,
      records.map((r) => saveInputOf(r, buildings.map)),
      { counted: cells },
    );
    results.forEach((r, i) => {
      if ('error' in r)
        summary.failed.push({ message: problemOf(r.error, records[i].source, records[i].jsonPath) });
      else summary[r.outcome]++;
    });
    progress.records += records.length;
    options.onProgress?.(progress);
  };

  // Jobs are prepared ahead (at most one per worker, plus one) while earlier ones are written. On PostgreSQL a
  // few jobs are written at once, each in its own transaction on its own connection, so this process prepares
  // and sends while the server writes. A job waits for the earlier ones that hold any of its records, so each
  // record's versions are still saved in file order and the summary is the same as one writer's.
  const writers = store.reads.capabilities.concurrentWriters ? 3 : 1;
  const writing = new Map<Promise<void>, ReadonlySet<string>>();
  let writeError: unknown;
  const write = async (f: { job: Job; prepared: Promise<Prepared> }) => {
    const ids = new Set<string>();
    if (writers > 1)
      for (const list of (await f.prepared.catch(() => ({ items: [] }))).items)
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
  const inFlight: Array<{ job: Job; prepared: Promise<Prepared> }> = [];
  let job: Job = { entries: [], units: 0, bytes: 0 };
  const submit = async () => {
    if (job.entries.length === 0) return;
    const prepared = prepare(job);
    prepared.catch(() => undefined);
    inFlight.push({ job, prepared });
    job = { entries: [], units: 0, bytes: 0 };
    while (inFlight.length > workers) await write(inFlight.shift() as (typeof inFlight)[number]);
  };
  // Checkpoints of a large import's WAL run beside the writes instead of inside its commits (SQLite).
  const stopCheckpoints = progress.bytesTotal >= workerMinBytes ? store.bulkWrites() : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      for await (const unit of readFileUnits(files[i])) {
        if (!isUnit(unit)) {
          job.entries.push({ item: unit });
          continue;
        }
        job.entries.push({ unit, receivedAt: options.now?.() ?? Date.now() });
        job.units++;
        job.bytes += unit.bytes.byteLength;
        if (job.units >= (options.batchRecords ?? jobUnits) || job.bytes >= jobBytes) await submit();
      }
      job.entries.push({ fileEnd: i });
    }
    await submit();
    for (const f of inFlight.splice(0)) await write(f);
    await Promise.all(writing.keys());
    if (writeError) throw writeError;
  } finally {
    await Promise.all(writing.keys());
    await pool?.close();
    await stopCheckpoints?.();
  }
  for (const item of parts) await handleItem(store, item, summary, options);
  return summary;
}
