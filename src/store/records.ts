// The record repository on the Db seam: raw version history (compressed) + the normalized rows of the newest version.
import { rowsFromJson } from '../normalize/from-json.ts';
import { recordView } from '../normalize/normalize-call.ts';
import { type CallRow, type CallRows, tables } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { loadBuildingMap } from './buildings.ts';
import type { Db } from './db.ts';
import { type RecordFacts, RollupBatch, recordFacts } from './ingest-rollups.ts';
import { mergeSameVersion } from './merge-raw.ts';
import {
  byteSize,
  compressRaw,
  decompress,
  type JsonText,
  type RawCopy,
  type RawEncoding,
  sha1,
  textToString,
} from './raw-copy.ts';
import type { Cells } from './rollup-cells.ts';
import { removeCallFromRollups } from './rollups.ts';
import {
  deleteRecordRows,
  insertRecordRows,
  isPacked,
  type PackedRows,
  packRows,
  rowTables,
  withCallView,
} from './row-values.ts';

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

export interface SaveManyOptions {
  /**
   * The rollup deltas of every input's given facts, added up beforehand (where the facts were built, e.g. a
   * worker thread): the batch starts from them, and an input not written with its given facts (unchanged,
   * older, merged, or the building map changed) is taken back out.
   */
  counted?: Cells;
}

export interface RecordRepository {
  /** Stores one version: same again -> unchanged, newer -> replaces the rows atomically, older -> raw history only. */
  save(input: SaveInput): Promise<SaveOutcome>;
  /**
   * Saves several in ONE transaction (bulk import: far fewer commits). All or nothing: when it throws, nothing
   * of the batch is written, and the caller may retry each input with save() to isolate the bad one.
   */
  saveMany(inputs: readonly SaveInput[], options?: SaveManyOptions): Promise<SaveOutcome[]>;
  /** The version whose rows are stored, if any. */
  storedVersion(id: string): Promise<number | undefined>;
  /** Every normalized row of the stored version, in Graph's order. */
  rows(id: string): Promise<CallRows | undefined>;
  /** The raw versions kept for a record, oldest first. */
  rawVersions(id: string): Promise<RawVersionInfo[]>;
  /** A raw version's JSON (the newest when version is omitted). */
  rawJson(id: string, version?: number): Promise<Record<string, unknown> | undefined>;
  /** Rebuilds every record's rows from its newest raw version (after a migration or a normalizer change). */
  reprocess(options?: { onProgress?: (done: number) => void }): Promise<ReprocessResult>;
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

/** What one transaction's saves share: the building map (read once) and the rollup deltas (applied once). */
interface TxState {
  buildings: BuildingMap;
  rollups: RollupBatch;
  /** The inputs' given facts were counted into `rollups` beforehand (saveMany's `counted`). */
  counted: boolean;
}

async function txState(tx: Db, counted?: Cells): Promise<TxState> {
  return { buildings: await loadBuildingMap(tx), rollups: new RollupBatch(counted), counted: !!counted };
}

/** A record's facts for the transaction: as given (and maybe counted), or built again from its rows. */
interface FactsPlan {
  facts: RecordFacts;
  counted: boolean;
}

/** Replaces a record's rows inside the caller's transaction; its rollup deltas go to the transaction's batch. */
async function replaceRows(
  tx: Db,
  state: TxState,
  rows: CallRows | PackedRows,
  existed: boolean,
  factsOf: () => FactsPlan,
): Promise<void> {
  const id = rows.call.id;
  if (existed) {
    await state.rollups.remove(tx, id);
    await deleteRecordRows(tx, id);
  }
  await insertRecordRows(tx, (isPacked(rows) ? rows : packRows(rows)).values);
  const plan = factsOf();
  await state.rollups.add(tx, plan.facts, plan.counted);
}

/** Facts built here from rows as objects, their deltas counted straight into the batch. */
function builtFacts(state: TxState, rows: CallRows): FactsPlan {
  return { facts: recordFacts(rows, state.buildings, state.rollups.cells), counted: true };
}

async function lockRecord(tx: Db, id: string): Promise<void> {
  // Several collectors may save the same record at once on PostgreSQL; SQLite transactions are already serial.
  if (tx.capabilities.advisoryLocks) await tx.get('SELECT pg_advisory_xact_lock(hashtext(?))', [id]);
}

interface RawRow {
  sha1: string;
  tenant_id: string | null;
  encoding: string;
  body: Uint8Array;
}

interface Prepared {
  input: SaveInput;
  sha: string;
  size: number;
  /** The text to keep (absent when the raw copy came made). */
  text?: JsonText;
  /** Compressed text; undefined when the pre-check found the very same payload stored. */
  body?: { encoding: RawEncoding; body: Uint8Array };
  /** The pre-check found this very payload stored: nothing to do. */
  unchanged?: boolean;
}

function jsonOf(input: SaveInput): Record<string, unknown> {
  if (input.json) return input.json;
  if (input.text !== undefined) return JSON.parse(textToString(input.text));
  if (input.raw) return JSON.parse(decompress(input.raw.body, input.raw.encoding));
  throw new Error('a save input needs json, text or a raw copy');
}

function prepareRaw(input: SaveInput): Prepared {
  const raw = input.raw;
  if (raw) return { input, sha: raw.sha1, size: raw.size, body: { encoding: raw.encoding, body: raw.body } };
  const text = input.text ?? JSON.stringify(input.json);
  return { input, sha: sha1(text), size: byteSize(text), text };
}

const idsPerCheck = 64;

/**
 * Marks the inputs whose very payload is already stored (re-imports, the common case after a first run): they
 * are answered without compressing or locking. One statement per 64 records, its shape fixed (padded).
 */
async function preCheck(db: Db, prepared: readonly Prepared[]): Promise<void> {
  for (let i = 0; i < prepared.length; i += idsPerCheck) {
    const part = prepared.slice(i, i + idsPerCheck);
    const ids = part.map((p) => p.input.rows.call.id);
    while (ids.length < idsPerCheck) ids.push(ids[0]);
    const known = await db.all<{ call_id: string; version: number; sha1: string; tenant_id: string | null }>(
      `SELECT call_id, version, sha1, tenant_id FROM raw_versions WHERE call_id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    const byKey = new Map(known.map((k) => [`${k.call_id}\u0001${Number(k.version)}`, k]));
    for (const p of part) {
      const { id, version } = p.input.rows.call;
      if (sameRaw(byKey.get(`${id}\u0001${version}`), p.sha, p.input.tenantId ?? null)) p.unchanged = true;
    }
  }
  for (const p of prepared) if (!p.unchanged && !p.body && p.text !== undefined) p.body = compressRaw(p.text);
}

function sameRaw(
  raw: { sha1: string; tenant_id: string | null } | undefined,
  sha: string,
  tenantId: string | null,
): boolean {
  return raw !== undefined && raw.sha1 === sha && (tenantId === null || raw.tenant_id === tenantId);
}

/** The call row seen through the stored tenant view (a version arriving without its tenant keeps it). */
function viewedCall(call: CallRow, viewTenantId: string): CallRow {
  return {
    ...call,
    view_tenant_id: viewTenantId,
    view: recordView(viewTenantId, call.organizer_tenant_id),
  };
}

/** One record's save inside the caller's transaction; deltas counted beforehand are taken back when unused. */
async function saveInTx(tx: Db, state: TxState, p: Prepared): Promise<SaveOutcome> {
  const given = p.input.facts?.facts;
  let givenUsed = false;
  try {
    const outcome = await saveRecord(tx, state, p, () => {
      givenUsed = true;
    });
    return outcome;
  } finally {
    if (state.counted && given && !givenUsed) state.rollups.uncount(given);
  }
}

async function saveRecord(tx: Db, state: TxState, p: Prepared, usingGiven: () => void): Promise<SaveOutcome> {
  const { input, sha } = p;
  const { id, version } = input.rows.call;
  const tenantId = input.tenantId ?? null;
  await lockRecord(tx, id);
  const raw = await tx.get<RawRow>(
    'SELECT sha1, tenant_id, encoding, body FROM raw_versions WHERE call_id = ? AND version = ?',
    [id, version],
  );
  if (sameRaw(raw, sha, tenantId)) return 'unchanged';
  const current = await tx.get<{ version: number; view_tenant_id: string | null }>(
    'SELECT version, view_tenant_id FROM calls WHERE id = ?',
    [id],
  );
  let rows = input.rows;
  let factsOf = (): FactsPlan => {
    const given = input.facts;
    if (given && given.buildings === state.buildings) {
      usingGiven();
      return { facts: given.facts, counted: state.counted };
    }
    // Facts need the rows as objects: packed rows are derived again from the record.
    const objects = isPacked(input.rows)
      ? rowsFromJson(jsonOf(input), { source: input.source, tenantId, receivedAt: input.receivedAt }).rows
      : input.rows;
    return builtFacts(state, objects);
  };
  if (tenantId === null && current?.view_tenant_id) {
    // A version arriving without its tenant (a plain file) belongs to the same tenant's view as the stored one.
    const call = viewedCall(rows.call, current.view_tenant_id);
    rows = isPacked(rows) ? withCallView(rows, call) : { ...rows, call };
  }
  if (raw) {
    // Same version, different payload: the same record seen through another $expand; keep the union.
    const storedText = decompress(raw.body, raw.encoding);
    const stored = JSON.parse(storedText) as Record<string, unknown>;
    const merged = mergeSameVersion(stored, jsonOf(input));
    const mergedText = JSON.stringify(merged);
    // The stored text may be kept as received (not re-serialized): compare the JSON, not the bytes.
    if (mergedText === JSON.stringify(stored) && (tenantId === null || raw.tenant_id === tenantId))
      return 'unchanged';
    const mergedSha = sha1(mergedText);
    const body = mergedSha === sha && p.body ? p.body : compressRaw(mergedText);
    const built = rowsFromJson(merged, {
      source: input.source,
      tenantId: tenantId ?? raw.tenant_id,
      receivedAt: input.receivedAt,
    }).rows;
    rows = built;
    factsOf = () => builtFacts(state, built);
    await tx.run(
      `UPDATE raw_versions SET received_at = ?, source = ?, tenant_id = ?, sha1 = ?, encoding = ?,
         size = ?, body = ? WHERE call_id = ? AND version = ?`,
      [
        input.receivedAt,
        input.source,
        tenantId ?? raw.tenant_id,
        mergedSha,
        body.encoding,
        Buffer.byteLength(mergedText),
        body.body,
        id,
        version,
      ],
    );
  } else {
    const body = p.body ?? compressRaw(p.text ?? JSON.stringify(jsonOf(input)));
    await tx.run(
      `INSERT INTO raw_versions (call_id, version, received_at, source, tenant_id, sha1, encoding, size, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        version,
        input.receivedAt,
        input.source,
        tenantId ?? current?.view_tenant_id ?? null,
        sha,
        body.encoding,
        p.size,
        body.body,
      ],
    );
  }
  if (current && version < current.version) return 'superseded';
  await replaceRows(tx, state, rows, current !== undefined, factsOf);
  return current ? 'updated' : 'inserted';
}

export function createRecordRepository(db: Db): RecordRepository {
  async function saveMany(
    inputs: readonly SaveInput[],
    options: SaveManyOptions = {},
  ): Promise<SaveOutcome[]> {
    // Hashed and compressed outside any transaction, so locks are held only for the writes.
    const prepared = inputs.map(prepareRaw);
    await preCheck(db, prepared);
    if (prepared.every((p) => p.unchanged)) return prepared.map(() => 'unchanged');
    return db.transaction(async (tx) => {
      const state = await txState(tx, options.counted);
      const out: SaveOutcome[] = [];
      // In order: a later input may be a newer (or the same) version of an earlier one.
      for (const p of prepared) {
        if (!p.unchanged) out.push(await saveInTx(tx, state, p));
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

  async function save(input: SaveInput): Promise<SaveOutcome> {
    return (await saveMany([input]))[0];
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

  async function reprocess(options: { onProgress?: (done: number) => void } = {}): Promise<ReprocessResult> {
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
          const built = rowsFromJson(JSON.parse(decompress(raw.body, raw.encoding)), {
            source,
            tenantId: raw.tenant_id,
            receivedAt: raw.received_at,
          });
          await db.transaction(async (tx) => {
            await lockRecord(tx, id);
            const existed = await tx.get('SELECT id FROM calls WHERE id = ?', [id]);
            const state = await txState(tx);
            await replaceRows(tx, state, built.rows, existed !== undefined, () =>
              builtFacts(state, built.rows),
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
