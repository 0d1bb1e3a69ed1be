// The retention job's steps over the catalog: remove old records, clear EUII of record rows, raw JSON and logs.
import type { Db, SqlValue } from '../store/db.ts';
import { compress, decompress } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { TableEntry } from './catalog-types.ts';
import { catalog, personalColumns } from './euii-catalog.ts';
import { expirePolicy, type ScrubCounts, scrubJson } from './json-scrub.ts';
import type { Tokenizer } from './pseudonymize.ts';

/** Counts per `table.column` (or `table.column:json.path`), never values. */
export type Counts = Record<string, number>;

export interface StepContext {
  store: Store;
  /** Tokens for the user ids that expire into tokens (a stand-in in dry runs). */
  tokens: Pick<Tokenizer, 'token'>;
  /** Tables that exist in this store. */
  tables: Set<string>;
  dryRun: boolean;
  /** Tables whose rows changed (compacted afterwards). */
  touched: Set<string>;
  /** Values replaced by tokens (rather than cleared), per table.column. */
  tokenized: Counts;
}

export const add = (counts: Counts, key: string, n: number) => {
  if (n > 0) counts[key] = (counts[key] ?? 0) + n;
};
const BATCH = 200;
/** When a record counts as over: the call's end, else its start, else when it was received. */
const callTime = 'COALESCE(c.end_time, c.start_time, c.received_at)';

export function entries(ctx: StepContext, kinds: TableEntry['rule']['kind'][]): TableEntry[] {
  return catalog.filter((t) => kinds.includes(t.rule.kind) && ctx.tables.has(t.table));
}

function callKey(t: TableEntry): string {
  return t.rule.kind === 'call-rows' || t.rule.kind === 'facts' ? t.rule.key : 'call_id';
}

const marks = (n: number) => Array(n).fill('?').join(',');

/**
 * Removes records whose call ended before the cutoff: every row keyed by the call (normalized rows, raw
 * versions, facts, plans), never the rollups: those stay as anonymous aggregates (as CQD keeps its
 * aggregates). A tombstone remembers the id, so a copy imported again later is removed with its contribution.
 */
export async function removeOldRecords(ctx: StepContext, cutoff: number, removed: Counts): Promise<number> {
  const db = ctx.store.db;
  const ids = (
    await db.all<{ id: string }>(
      `SELECT c.id AS id FROM calls c WHERE ${callTime} < ?
       UNION SELECT DISTINCT r.call_id AS id FROM raw_versions r
       WHERE r.received_at < ? AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = r.call_id)`,
      [cutoff, cutoff],
    )
  ).map((r) => r.id);
  const tables = entries(ctx, ['call-rows', 'facts', 'raw']);
  for (let i = 0; i < ids.length; i += BATCH) {
    const part = ids.slice(i, i + BATCH);
    await db.transaction(async (tx) => {
      for (const t of tables) {
        const where = `${callKey(t)} IN (${marks(part.length)})`;
        const n = ctx.dryRun
          ? Number(
              (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${where}`, part))?.n,
            )
          : (await tx.run(`DELETE FROM ${t.table} WHERE ${where}`, part)).changes;
        add(removed, t.table, n);
        if (n > 0) ctx.touched.add(t.table);
      }
      if (!ctx.dryRun)
        for (const id of part)
          await tx.run(
            'INSERT INTO privacy_expired_calls (call_id, expired_at) VALUES (?, ?) ON CONFLICT (call_id) DO NOTHING',
            [id, cutoff],
          );
    });
  }
  return ids.length;
}

/** A record removed earlier and imported again: removed again, with the rollup contribution the copy added. */
export async function removeReturnedRecords(ctx: StepContext, removed: Counts): Promise<number> {
  const db = ctx.store.db;
  const ids = await db.all<{ id: string }>(
    'SELECT c.id AS id FROM calls c JOIN privacy_expired_calls e ON e.call_id = c.id',
  );
  if (ctx.dryRun) return ids.length;
  for (const { id } of ids) {
    await ctx.store.records.delete(id);
    for (const t of entries(ctx, ['call-rows', 'facts']))
      add(removed, t.table, (await db.run(`DELETE FROM ${t.table} WHERE ${callKey(t)} = ?`, [id])).changes);
    ctx.touched.add('calls').add('raw_versions');
  }
  return ids.length;
}

export async function clearColumns(
  tx: Db,
  ctx: StepContext,
  t: TableEntry,
  where: string,
  params: SqlValue[],
  cleared: Counts,
): Promise<void> {
  for (const [col, rule] of personalColumns(t)) {
    if (rule.json) continue;
    const cond = `${where} AND ${col} IS NOT NULL${rule.where ? ` AND ${rule.where}` : ''}`;
    if (rule.expire === 'token') {
      await tokenizeColumn(tx, ctx, t.table, col, cond, params, ctx.tokenized);
      continue;
    }
    const n = ctx.dryRun
      ? Number((await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${cond}`, params))?.n)
      : (await tx.run(`UPDATE ${t.table} SET ${col} = NULL WHERE ${cond}`, params)).changes;
    add(cleared, `${t.table}.${col}`, n);
    if (n > 0) ctx.touched.add(t.table);
  }
}

/**
 * Replaces each not yet tokenized value of a column by its keyed token: one UPDATE with a CASE per chunk of
 * values, so a batch of calls costs a statement per column rather than one per person.
 */
async function tokenizeColumn(
  tx: Db,
  ctx: StepContext,
  table: string,
  col: string,
  cond: string,
  params: SqlValue[],
  counts: Counts,
): Promise<void> {
  const open = `${cond} AND ${col} <> '' AND ${col} NOT LIKE 'pz.%'`;
  if (ctx.dryRun) {
    const n = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${open}`, params);
    add(counts, `${table}.${col}`, Number(n?.n ?? 0));
    return;
  }
  const values = (
    await tx.all<{ v: string }>(`SELECT DISTINCT ${col} AS v FROM ${table} WHERE ${open}`, params)
  ).map((r) => r.v);
  for (let i = 0; i < values.length; i += 500) {
    const part = values.slice(i, i + 500);
    const cases = part.map(() => 'WHEN ? THEN ?').join(' ');
    const n = (
      await tx.run(
        `UPDATE ${table} SET ${col} = CASE ${col} ${cases} ELSE ${col} END WHERE ${open} AND ${col} IN (${marks(part.length)})`,
        [...part.flatMap((v) => [v, ctx.tokens.token(v)]), ...params, ...part],
      )
    ).changes;
    add(counts, `${table}.${col}`, n);
    if (n > 0) ctx.touched.add(table);
  }
}

/**
 * Clears every EUII column of the rows of records that ended before the cutoff. A marker per record (its
 * version and receipt time) keeps later runs from rescanning it, and a record saved again (a newer version,
 * a same-version merge) is scrubbed again.
 */
export async function scrubRecordRows(ctx: StepContext, cutoff: number, cleared: Counts): Promise<number> {
  const db = ctx.store.db;
  const tables = entries(ctx, ['call-rows']);
  let total = 0;
  // Keyset pages by id: memory stays flat on a first run over years of records (and dry runs write no markers).
  for (let after = ''; ; ) {
    const part = await db.all<{ id: string; version: number; received_at: number }>(
      `SELECT c.id AS id, c.version AS version, c.received_at AS received_at
       FROM calls c LEFT JOIN privacy_scrubbed_calls m ON m.call_id = c.id
       WHERE c.id > ? AND ${callTime} < ?
         AND (m.call_id IS NULL OR m.version <> c.version OR m.received_at <> c.received_at)
       ORDER BY c.id LIMIT ${BATCH}`,
      [after, cutoff],
    );
    if (part.length === 0) break;
    after = part[part.length - 1].id;
    total += part.length;
    const ids = part.map((r) => r.id);
    await db.transaction(async (tx) => {
      for (const t of tables)
        await clearColumns(tx, ctx, t, `${callKey(t)} IN (${marks(ids.length)})`, ids, cleared);
      if (ctx.dryRun) return;
      for (const r of part)
        await tx.run(
          `INSERT INTO privacy_scrubbed_calls (call_id, version, received_at, scrubbed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (call_id) DO UPDATE SET version = excluded.version, received_at = excluded.received_at,
             scrubbed_at = excluded.scrubbed_at`,
          [r.id, r.version, r.received_at, cutoff],
        );
    });
  }
  return total;
}

export function countInto(counts: ScrubCounts, into: Counts, prefix: string): void {
  for (const [path, n] of counts) add(into, `${prefix}:${path}`, n);
}

/**
 * Scrubs every stored raw version of records that ended before the cutoff: decompressed, cleared by the Graph
 * JSON catalog, compressed again. The sha1 stays that of the version as first stored, so fetching the same
 * payload again is still "unchanged"; a marker holding it tells when the repository rewrote the body.
 */
export async function scrubRawVersions(ctx: StepContext, cutoff: number, cleared: Counts): Promise<number> {
  const db = ctx.store.db;
  let total = 0;
  for (let after = { id: '', version: -1 }; ; ) {
    const due = await db.all<{ call_id: string; version: number; sha1: string }>(
      `SELECT r.call_id AS call_id, r.version AS version, r.sha1 AS sha1 FROM raw_versions r
       LEFT JOIN calls c ON c.id = r.call_id
       LEFT JOIN privacy_scrubbed_raw m ON m.call_id = r.call_id AND m.version = r.version
       WHERE (r.call_id > ? OR (r.call_id = ? AND r.version > ?))
         AND COALESCE(c.end_time, c.start_time, r.received_at) < ? AND (m.call_id IS NULL OR m.sha1 <> r.sha1)
       ORDER BY r.call_id, r.version LIMIT ${BATCH}`,
      [after.id, after.id, after.version, cutoff],
    );
    if (due.length === 0) break;
    const last = due[due.length - 1];
    after = { id: last.call_id, version: Number(last.version) };
    total += due.length;
    await scrubRawPage(ctx, due, cutoff, cleared);
  }
  return total;
}

async function scrubRawPage(
  ctx: StepContext,
  due: { call_id: string; version: number }[],
  cutoff: number,
  cleared: Counts,
): Promise<void> {
  const db = ctx.store.db;
  for (const item of due) {
    await db.transaction(async (tx) => {
      const raw = await tx.get<{ encoding: string; body: Uint8Array; sha1: string }>(
        'SELECT encoding, body, sha1 FROM raw_versions WHERE call_id = ? AND version = ?',
        [item.call_id, item.version],
      );
      if (!raw) return;
      const counts: ScrubCounts = new Map();
      const text = decompress(raw.body, raw.encoding);
      const scrubbed = JSON.stringify(
        scrubJson(JSON.parse(text), 'record', expirePolicy(ctx.tokens), counts),
      );
      countInto(counts, cleared, 'raw_versions.body');
      if (ctx.dryRun) return;
      if (scrubbed !== text) {
        await tx.run(
          `UPDATE raw_versions SET encoding = 'deflate', size = ?, body = ? WHERE call_id = ? AND version = ?`,
          [Buffer.byteLength(scrubbed), compress(scrubbed), item.call_id, item.version],
        );
        ctx.touched.add('raw_versions');
      }
      await tx.run(
        `INSERT INTO privacy_scrubbed_raw (call_id, version, sha1, scrubbed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (call_id, version) DO UPDATE SET sha1 = excluded.sha1, scrubbed_at = excluded.scrubbed_at`,
        [item.call_id, item.version, raw.sha1, cutoff],
      );
    });
  }
}
