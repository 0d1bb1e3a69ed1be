// Saving one record inside a transaction: raw history first, then the newest version's rows and rollup deltas.
import { recordView } from '../normalize/normalize-call.ts';
import type { CallRow, CallRows } from '../normalize/rows.ts';
import type { BuildingMap } from '../quality/buildings.ts';
import { loadBuildingMap } from './buildings.ts';
import type { Db } from './db.ts';
import { type RecordFacts, RollupBatch } from './ingest-rollups.ts';
import { mergeSameVersion } from './merge-raw.ts';
import {
  byteSize,
  compressRaw,
  decompress,
  type JsonText,
  type RawEncoding,
  sha1,
  textToString,
} from './raw-copy.ts';
import type { Prepare, SaveInput, SaveOutcome } from './records.ts';
import type { Cells } from './rollup-cells.ts';
import {
  deleteRecordRows,
  insertRecordRows,
  isPacked,
  type PackedRows,
  packRows,
  withCallView,
} from './row-values.ts';

/** What one transaction's saves share: the building map (read once) and the rollup deltas (applied once). */
export interface TxState {
  buildings: BuildingMap;
  rollups: RollupBatch;
  /** The inputs' given facts were counted into `rollups` beforehand (saveMany's `counted`). */
  counted: boolean;
}

export async function txState(tx: Db, counted?: Cells): Promise<TxState> {
  return { buildings: await loadBuildingMap(tx), rollups: new RollupBatch(counted), counted: !!counted };
}

/** A record's facts for the transaction: as given (and maybe counted), or built again from its rows. */
interface FactsPlan {
  facts: RecordFacts;
  counted: boolean;
}

/** Replaces a record's rows inside the caller's transaction; its rollup deltas go to the transaction's batch. */
export async function replaceRows(
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

export async function lockRecord(tx: Db, id: string): Promise<void> {
  // Several collectors may save the same record at once on PostgreSQL; SQLite transactions are already serial.
  await tx.locks.record(tx, id);
}

export interface RawRow {
  sha1: string;
  tenant_id: string | null;
  encoding: string;
  body: Uint8Array;
}

export interface Prepared {
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

export function prepareRaw(input: SaveInput): Prepared {
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
export async function preCheck(db: Db, prepared: readonly Prepared[]): Promise<void> {
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
export async function saveInTx(tx: Db, state: TxState, p: Prepared, prepare: Prepare): Promise<SaveOutcome> {
  const given = p.input.facts?.facts;
  let givenUsed = false;
  try {
    const outcome = await saveRecord(tx, state, p, prepare, () => {
      givenUsed = true;
    });
    return outcome;
  } finally {
    if (state.counted && given && !givenUsed) state.rollups.uncount(given);
  }
}

async function saveRecord(
  tx: Db,
  state: TxState,
  p: Prepared,
  prepare: Prepare,
  usingGiven: () => void,
): Promise<SaveOutcome> {
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
  const meta = { source: input.source, tenantId, receivedAt: input.receivedAt };
  let factsOf = (): FactsPlan => {
    const given = input.facts;
    if (given && given.buildings === state.buildings) {
      usingGiven();
      return { facts: given.facts, counted: state.counted };
    }
    // The building map changed since the record was prepared: its facts are placed again under this one.
    const built = prepare(jsonOf(input), meta, { buildings: state.buildings, raw: false });
    return { facts: built.facts, counted: false };
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
    const built = prepare(
      merged,
      { ...meta, tenantId: tenantId ?? raw.tenant_id },
      { buildings: state.buildings, raw: false },
    );
    rows = { packed: true, call: built.call, values: built.values };
    factsOf = () => ({ facts: built.facts, counted: false });
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
