// The record repository on the Db seam: raw version history (compressed) + the normalized rows of the newest version.
import { type CallRow, type CallRows, tables } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import type { Db } from './db.ts';
import type { RecordFacts } from './ingest-rollups.ts';
import { decompress, type JsonText, type RawCopy } from './raw-copy.ts';
import type { Cells } from './rollup-cells.ts';
import { removeCallFromRollups } from './rollups.ts';
import { deleteRecordRows, type PackedRows, rowTables, type TableValues } from './row-values.ts';

import {
  lockRecord,
  preCheck,
  prepareRaw,
  type RawRow,
  replaceRows,
  saveInTx,
  txState,
} from './save-record.ts';

export { compress, decompress, sha1 } from './raw-copy.ts';

export type SaveOutcome = 'inserted' | 'updated' | 'unchanged' | 'superseded';

export interface SaveInput {
  /** The record JSON exactly as it is to be kept (after any privacy transform); read from text/raw when absent. */
  json?: Record<string, unknown>;
  /** Its rows (normalizeCallRecord of the same JSON), possibly packed; id and version are read from rows.call. */
  rows: CallRows | PackedRows;
  /**
   * The JSON text of `json` as received (a file's line, unchanged by any transform): kept as the raw copy
   * instead of a re-serialization, so the bytes are neither stringified nor re-encoded.
   */
  text?: JsonText;
  /** The raw copy of that text, already made (a worker thread did it). */
  raw?: RawCopy;
  /** The record's analytics facts, already built from its rows under `buildings` (rebuilt if that map changed). */
  facts?: { buildings: BuildingMap; facts: RecordFacts };
  source: string;
  tenantId?: string | null;
  receivedAt: number;
}

export interface RawVersionInfo {
  version: number;
  receivedAt: number;
  source: string | null;
  tenantId: string | null;
  /** Uncompressed bytes. */
  size: number;
  /** Bytes as stored. */
  storedSize: number;
}

export interface ReprocessResult {
  records: number;
  failed: Array<{ id: string; problem: string }>;
}

/**
 * The record pipeline (src/ingest/prepare-record.ts's prepareRecord), for a save that must build a record's rows
 * again from its JSON: a same-version merge, facts under a building map changed since, reprocess. With `cells`,
 * the record's rollup deltas are counted into them.
 */
export type Prepare = (
  json: Record<string, unknown>,
  meta: { source: string; tenantId: string | null; receivedAt: number },
  o: { buildings: BuildingMap; cells?: Cells; raw: false },
) => { call: CallRow; values: TableValues; facts: RecordFacts };

export interface SaveManyOptions {
  /** How rows are built again when a save needs to (see Prepare). */
  prepare: Prepare;
  /**
   * The rollup deltas of every input's given facts, added up beforehand (where the facts were built, e.g. a
   * worker thread): the batch starts from them, and an input not written with its given facts (unchanged,
   * older, merged, or the building map changed) is taken back out.
   */
  counted?: Cells;
}

export interface RecordRepository {
  /** Stores one version: same again -> unchanged, newer -> replaces the rows atomically, older -> raw history only. */
  save(input: SaveInput, prepare: Prepare): Promise<SaveOutcome>;
  /**
   * Saves several in ONE transaction (bulk import: far fewer commits). All or nothing: when it throws, nothing
   * of the batch is written, and the caller may retry each input with save() to isolate the bad one.
   */
  saveMany(inputs: readonly SaveInput[], options: SaveManyOptions): Promise<SaveOutcome[]>;
  /** The version whose rows are stored, if any. */
  storedVersion(id: string): Promise<number | undefined>;
  /** How many records have rows stored. */
  count(): Promise<number>;
  /** Every normalized row of the stored version, in Graph's order. */
  rows(id: string): Promise<CallRows | undefined>;
  /** The raw versions kept for a record, oldest first. */
  rawVersions(id: string): Promise<RawVersionInfo[]>;
  /** A raw version's JSON (the newest when version is omitted). */
  rawJson(id: string, version?: number): Promise<Record<string, unknown> | undefined>;
  /** Rebuilds every record's rows from its newest raw version (after a migration or a normalizer change). */
  reprocess(prepare: Prepare, options?: { onProgress?: (done: number) => void }): Promise<ReprocessResult>;
  /** Removes a record entirely: rows, rollup contribution and raw history. */
  delete(id: string): Promise<boolean>;
}

const orderBy: Record<keyof typeof tables, string> = {
  call: 'id',
  participants: 'participant_idx',
  sessions: 'session_idx',
  segments: 'session_idx, segment_idx',
  endpoints: 'session_idx, segment_idx, side DESC',
  media: 'session_idx, segment_idx, media_idx',
  mediaEndpoints: 'session_idx, segment_idx, media_idx, side DESC',
  streams: 'session_idx, segment_idx, media_idx, stream_idx',
  hops: 'session_idx, segment_idx, media_idx, side DESC, hop_idx',
};

export function createRecordRepository(db: Db): RecordRepository {
  async function saveMany(inputs: readonly SaveInput[], options: SaveManyOptions): Promise<SaveOutcome[]> {
    // Hashed and compressed outside any transaction, so locks are held only for the writes.
    const prepared = inputs.map(prepareRaw);
    await preCheck(db, prepared);
    if (prepared.every((p) => p.unchanged)) return prepared.map(() => 'unchanged');
    return db.transaction(async (tx) => {
      const state = await txState(tx, options.counted);
      const out: SaveOutcome[] = [];
      // In order: a later input may be a newer (or the same) version of an earlier one.
      for (const p of prepared) {
        if (!p.unchanged) out.push(await saveInTx(tx, state, p, options.prepare));
        else {
          const given = p.input.facts?.facts;
          if (state.counted && given) state.rollups.uncount(given);
          out.push('unchanged');
        }
      }
      await state.rollups.apply(tx);
      return out;
    });
  }

  async function save(input: SaveInput, prepare: Prepare): Promise<SaveOutcome> {
    return (await saveMany([input], { prepare }))[0];
  }

  async function rows(id: string): Promise<CallRows | undefined> {
    const call = await db.get<CallRows['call']>('SELECT * FROM calls WHERE id = ?', [id]);
    if (!call) return undefined;
    const out = { call } as CallRows;
    for (const key of rowTables) {
      if (key === 'call') continue;
      (out as unknown as Record<string, unknown[]>)[key] = await db.all(
        `SELECT * FROM ${tables[key]} WHERE call_id = ? ORDER BY ${orderBy[key]}`,
        [id],
      );
    }
    return out;
  }

  async function rawJson(id: string, version?: number): Promise<Record<string, unknown> | undefined> {
    const raw =
      version === undefined
        ? await db.get<RawRow>(
            'SELECT encoding, body FROM raw_versions WHERE call_id = ? ORDER BY version DESC LIMIT 1',
            [id],
          )
        : await db.get<RawRow>('SELECT encoding, body FROM raw_versions WHERE call_id = ? AND version = ?', [
            id,
            version,
          ]);
    return raw ? (JSON.parse(decompress(raw.body, raw.encoding)) as Record<string, unknown>) : undefined;
  }

  async function reprocess(
    prepare: Prepare,
    options: { onProgress?: (done: number) => void } = {},
  ): Promise<ReprocessResult> {
    const result: ReprocessResult = { records: 0, failed: [] };
    let after = '';
    for (;;) {
      // Keyset pages of ids keep memory flat however many records there are.
      const ids = await db.all<{ call_id: string }>(
        'SELECT DISTINCT call_id FROM raw_versions WHERE call_id > ? ORDER BY call_id LIMIT 200',
        [after],
      );
      if (ids.length === 0) break;
      for (const { call_id: id } of ids) {
        after = id;
        const raw = await db.get<RawRow & { version: number; source: string | null; received_at: number }>(
          `SELECT version, source, tenant_id, received_at, encoding, body FROM raw_versions
           WHERE call_id = ? ORDER BY version DESC LIMIT 1`,
          [id],
        );
        if (!raw) continue;
        try {
          const source = raw.source ?? `raw version ${id}@${raw.version}`;
          const json = JSON.parse(decompress(raw.body, raw.encoding)) as Record<string, unknown>;
          const meta = { source, tenantId: raw.tenant_id, receivedAt: Number(raw.received_at) };
          await db.transaction(async (tx) => {
            await lockRecord(tx, id);
            const existed = await tx.get('SELECT id FROM calls WHERE id = ?', [id]);
            const state = await txState(tx);
            const built = prepare(json, meta, {
              buildings: state.buildings,
              cells: state.rollups.cells,
              raw: false,
            });
            await replaceRows(
              tx,
              state,
              { packed: true, call: built.call, values: built.values },
              existed !== undefined,
              () => ({ facts: built.facts, counted: true }),
            );
            await state.rollups.apply(tx);
          });
          result.records++;
        } catch (err) {
          result.failed.push({ id, problem: (err as Error).message });
        }
        options.onProgress?.(result.records + result.failed.length);
      }
    }
    return result;
  }

  return {
    save,
    saveMany,
    rows,
    rawJson,
    reprocess,
    async count() {
      return Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM calls'))?.n ?? 0);
    },
    async storedVersion(id) {
      return (await db.get<{ version: number }>('SELECT version FROM calls WHERE id = ?', [id]))?.version;
    },
    async rawVersions(id) {
      const list = await db.all<{
        version: number;
        received_at: number;
        source: string | null;
        tenant_id: string | null;
        size: number;
        stored_size: number;
      }>(
        `SELECT version, received_at, source, tenant_id, size, LENGTH(body) AS stored_size FROM raw_versions
         WHERE call_id = ? ORDER BY version`,
        [id],
      );
      return list.map((r) => ({
        version: r.version,
        receivedAt: r.received_at,
        source: r.source,
        tenantId: r.tenant_id,
        size: r.size,
        storedSize: r.stored_size,
      }));
    },
    async delete(id) {
      return db.transaction(async (tx) => {
        await lockRecord(tx, id);
        const existed = await tx.get('SELECT id FROM calls WHERE id = ?', [id]);
        if (existed) await removeCallFromRollups(tx, id);
        await deleteRecordRows(tx, id);
        const raw = await tx.run('DELETE FROM raw_versions WHERE call_id = ?', [id]);
        return existed !== undefined || raw.changes > 0;
      });
    },
  };
}
