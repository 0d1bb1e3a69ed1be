// Imports call records from files/folders/globs through the one ingest pipeline; one bad file never stops the rest.
import { stat } from 'node:fs/promises';
import { GraphParseError, parseDirectRoutingLogRow, parsePstnCallLogRow } from '../graph/parse.ts';
import type { SaveInput } from '../store/records.ts';
import { rowCount } from '../store/row-values.ts';
import type { Store } from '../store/store.ts';
import { type IngestMeta, ingestRecordPart, prepareRecord, saveBatch } from './ingest-record.ts';
import { expandPaths, type InputItem, readFileItems } from './read-input.ts';

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
  /** Stores PSTN / Direct Routing rows found in files; without it such files are skipped with a reason. */
  saveLogRows?: (kind: 'pstn' | 'directRouting', rows: unknown[]) => Promise<number>;
  onProgress?: (p: ImportProgress) => void;
  now?: () => number;
}

const maxBatchRecords = 32;
const maxBatchRows = 4000;

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

function problemOf(err: unknown, source: string, jsonPath: string): string {
  if (err instanceof GraphParseError) return err.message;
  // Database and other errors: name the record's place; driver messages carry no record values.
  return `${source}: ${jsonPath}: could not be stored (${(err as Error)?.message ?? String(err)})`;
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
  // Records are saved in batches (one transaction each): far fewer commits than one per record.
  const batch: Array<{ input: SaveInput; source: string; jsonPath: string }> = [];
  let batchRows = 0;
  const flush = async () => {
    const results = await saveBatch(
      store,
      batch.map((b) => b.input),
    );
    results.forEach((r, i) => {
      if ('error' in r)
        summary.failed.push({ message: problemOf(r.error, batch[i].source, batch[i].jsonPath) });
      else summary[r.outcome]++;
    });
    batch.length = 0;
    batchRows = 0;
  };
  // Pages of sessions/participants belong to a record that may come later in the batch: they go last.
  const parts: InputItem[] = [];
  for (let i = 0; i < files.length; i++) {
    for await (const item of readFileItems(files[i])) {
      if (item.kind === 'part') parts.push(item);
      else if (item.kind !== 'record') await handleItem(store, item, summary, options);
      else {
        try {
          const input = prepareRecord(item.json, {
            source: item.source,
            jsonPath: item.jsonPath,
            tenantId: options.tenantId,
            transform: options.transform,
            receivedAt: options.now?.(),
            text: item.text,
          });
          batch.push({ input, source: item.source, jsonPath: item.jsonPath });
          batchRows += rowCount(input.rows);
          // Bounded by rows as well as records, so a batch of big meetings stays small in memory.
          if (batch.length >= maxBatchRecords || batchRows >= maxBatchRows) await flush();
        } catch (err) {
          summary.failed.push({ message: problemOf(err, item.source, item.jsonPath) });
        }
        progress.records++;
        if (progress.records % 50 === 0) options.onProgress?.(progress);
      }
    }
    summary.files++;
    progress.filesDone++;
    progress.bytesDone += sizes[i];
    options.onProgress?.(progress);
  }
  if (batch.length > 0) await flush();
  for (const item of parts) await handleItem(store, item, summary, options);
  return summary;
}
