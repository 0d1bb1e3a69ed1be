// The record repository on the Db seam: raw version history (compressed) + the normalized rows of the newest version.
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { rowsFromJson } from '../normalize/from-json.ts';
import { recordView } from '../normalize/normalize-call.ts';
import { type CallRows, tableColumns, tables } from '../normalize/rows.ts';
import type { Db, SqlValue } from './db.ts';
import { mergeSameVersion } from './merge-raw.ts';
import { addCallToRollups, removeCallFromRollups } from './rollups.ts';

export type SaveOutcome = 'inserted' | 'updated' | 'unchanged' | 'superseded';

export interface SaveInput {
  /** The record JSON exactly as it is to be kept (after any privacy transform). */
  json: Record<string, unknown>;
  /** Its rows (normalizeCallRecord of the same JSON); id and version are read from rows.call. */
  rows: CallRows;
  /** JSON.stringify(json), when the caller already has it. */
  text?: string;
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

export interface RecordRepository {
  /** Stores one version: same again -> unchanged, newer -> replaces the rows atomically, older -> raw history only. */
  save(input: SaveInput): Promise<SaveOutcome>;
  /**
   * Saves several in ONE transaction (bulk import: far fewer commits). All or nothing: when it throws, nothing
   * of the batch is written, and the caller may retry each input with save() to isolate the bad one.
   */
  saveMany(inputs: readonly SaveInput[]): Promise<SaveOutcome[]>;
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

const rowTables = Object.keys(tables) as (keyof typeof tables)[];
// Children first, so a delete never trips over a row that points at its parent.
const columnsOf = Object.fromEntries(rowTables.map((k) => [k, Object.keys(tableColumns[k])])) as Record<
  keyof typeof tables,
  string[]
>;

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

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function compress(text: string): Uint8Array {
  // Level 1: raw history is written for every record and read rarely; speed matters more than ratio.
  return deflateSync(text, { level: 1 });
}

export function decompress(body: Uint8Array, encoding: string): string {
  if (encoding !== 'deflate') throw new Error(`raw version stored with unknown encoding "${encoding}"`);
  return inflateSync(body).toString('utf8');
}

const insertSql = new Map<string, string>();
/** Row counts per INSERT: few distinct statement shapes, so prepared statements stay cached and reused. */
const chunkSizes = [64, 16, 4, 1];

/** Multi-row INSERTs (insertMany's idea, with the SQL text cached per table and chunk size). */
async function insertRows(db: Db, key: keyof typeof tables, rows: readonly object[]): Promise<void> {
  const cols = columnsOf[key];
  let i = 0;
  while (i < rows.length) {
    const left = rows.length - i;
    const n = chunkSizes.find((c) => c <= left && c * cols.length <= db.capabilities.maxParams) ?? 1;
    const cacheKey = `${key}:${n}`;
    let sql = insertSql.get(cacheKey);
    if (!sql) {
      const one = `(${cols.map(() => '?').join(',')})`;
      sql = `INSERT INTO ${tables[key]} (${cols.join(',')}) VALUES ${Array(n).fill(one).join(',')}`;
      insertSql.set(cacheKey, sql);
    }
    const params: SqlValue[] = new Array(n * cols.length);
    let p = 0;
    for (let r = i; r < i + n; r++) {
      const row = rows[r] as Record<string, SqlValue | undefined>;
      for (const c of cols) params[p++] = row[c] ?? null;
    }
    await db.run(sql, params);
    i += n;
  }
}

async function deleteRows(tx: Db, id: string): Promise<void> {
  for (const key of rowTables) {
    await tx.run(`DELETE FROM ${tables[key]} WHERE ${key === 'call' ? 'id' : 'call_id'} = ?`, [id]);
  }
}

/** Replaces a record's rows inside the caller's transaction, keeping the rollups in step. */
async function replaceRows(tx: Db, rows: CallRows, existed: boolean): Promise<void> {
  const id = rows.call.id;
  if (existed) {
    await removeCallFromRollups(tx, id);
    await deleteRows(tx, id);
  }
  await insertRows(tx, 'call', [rows.call]);
  for (const key of rowTables) if (key !== 'call') await insertRows(tx, key, rows[key]);
  await addCallToRollups(tx, id);
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
  text: string;
  /** Compressed text; undefined when the pre-check found the very same payload stored. */
  body?: Uint8Array;
}

/** Hashes and compresses outside any transaction so locks are held only for the writes. */
async function prepare(db: Db, input: SaveInput): Promise<Prepared> {
  const { id, version } = input.rows.call;
  const text = input.text ?? JSON.stringify(input.json);
  const sha = sha1(text);
  // Re-imports are the common case after the first run: answer them without compressing or locking.
  const known = await db.get<{ sha1: string; tenant_id: string | null }>(
    'SELECT sha1, tenant_id FROM raw_versions WHERE call_id = ? AND version = ?',
    [id, version],
  );
  if (sameRaw(known, sha, input.tenantId ?? null)) return { input, sha, text };
  return { input, sha, text, body: compress(text) };
}

function sameRaw(
  raw: { sha1: string; tenant_id: string | null } | undefined,
  sha: string,
  tenantId: string | null,
): boolean {
  return raw !== undefined && raw.sha1 === sha && (tenantId === null || raw.tenant_id === tenantId);
}

/** One record's save inside the caller's transaction. */
async function saveInTx(tx: Db, p: Prepared): Promise<SaveOutcome> {
  const { input, sha, text } = p;
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
  if (tenantId === null && current?.view_tenant_id) {
    // A version arriving without its tenant (a plain file) belongs to the same tenant's view as the stored one.
    const organizerTenant = rows.call.organizer_tenant_id;
    rows = {
      ...rows,
      call: {
        ...rows.call,
        view_tenant_id: current.view_tenant_id,
        view: recordView(current.view_tenant_id, organizerTenant),
      },
    };
  }
  if (raw) {
    // Same version, different payload: the same record seen through another $expand; keep the union.
    const stored = JSON.parse(decompress(raw.body, raw.encoding)) as Record<string, unknown>;
    const merged = mergeSameVersion(stored, input.json);
    const mergedText = JSON.stringify(merged);
    const mergedSha = sha1(mergedText);
    if (sameRaw(raw, mergedSha, tenantId)) return 'unchanged';
    const body = mergedSha === sha && p.body ? p.body : compress(mergedText);
    rows = rowsFromJson(merged, {
      source: input.source,
      tenantId: tenantId ?? raw.tenant_id,
      receivedAt: input.receivedAt,
    }).rows;
    await tx.run(
      `UPDATE raw_versions SET received_at = ?, source = ?, tenant_id = ?, sha1 = ?, encoding = 'deflate',
         size = ?, body = ? WHERE call_id = ? AND version = ?`,
      [
        input.receivedAt,
        input.source,
        tenantId ?? raw.tenant_id,
        mergedSha,
        Buffer.byteLength(mergedText),
        body,
        id,
        version,
      ],
    );
  } else {
    await tx.run(
      `INSERT INTO raw_versions (call_id, version, received_at, source, tenant_id, sha1, encoding, size, body)
       VALUES (?, ?, ?, ?, ?, ?, 'deflate', ?, ?)`,
      [
        id,
        version,
        input.receivedAt,
        input.source,
        tenantId ?? current?.view_tenant_id ?? null,
        sha,
        Buffer.byteLength(text),
        p.body ?? compress(text),
      ],
    );
  }
  if (current && version < current.version) return 'superseded';
  await replaceRows(tx, rows, current !== undefined);
  return current ? 'updated' : 'inserted';
}

export function createRecordRepository(db: Db): RecordRepository {
  async function save(input: SaveInput): Promise<SaveOutcome> {
    const p = await prepare(db, input);
    if (!p.body) return 'unchanged';
    return db.transaction((tx) => saveInTx(tx, p));
  }

  async function saveMany(inputs: readonly SaveInput[]): Promise<SaveOutcome[]> {
    const prepared: Prepared[] = [];
    for (const input of inputs) prepared.push(await prepare(db, input));
    const todo = prepared.filter((p) => p.body);
    if (todo.length === 0) return prepared.map(() => 'unchanged');
    return db.transaction(async (tx) => {
      const out: SaveOutcome[] = [];
      // In order: a later input may be a newer (or the same) version of an earlier one.
      for (const p of prepared) out.push(p.body ? await saveInTx(tx, p) : 'unchanged');
      return out;
    });
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
            await replaceRows(tx, built.rows, existed !== undefined);
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
        await deleteRows(tx, id);
        const raw = await tx.run('DELETE FROM raw_versions WHERE call_id = ?', [id]);
        return existed !== undefined || raw.changes > 0;
      });
    },
  };
}
