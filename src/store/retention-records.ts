// Retention of call records in the store: records past recordDays removed (tombstoned), EUII cleared from the rows
// and raw JSON of records past euiiDays, each record marked so later runs skip it until it is saved again.
import type { Db, SqlValue } from './db.ts';
import { compress, decompress } from './raw-copy.ts';
import type { RecordRepository } from './records.ts';
import {
  add,
  countInto,
  type RetentionColumn,
  type RetentionRun,
  type RetentionTable,
} from './retention-plan.ts';

const BATCH = 200;
/** When a record counts as over: the call's end, else its start, else when it was received. */
const callTime = 'COALESCE(c.end_time, c.start_time, c.received_at)';
const marks = (n: number) => Array(n).fill('?').join(',');

const ofKinds = (run: RetentionRun, kinds: RetentionTable['kind'][]) =>
  run.tables.filter((t) => kinds.includes(t.kind));

const callKey = (t: RetentionTable) => (t.kind === 'call-rows' || t.kind === 'facts' ? t.key : 'call_id');

/** A condition and its parameters. */
export interface Where {
  sql: string;
  params: SqlValue[];
}

const onlyOf = (c: RetentionColumn): Where =>
  c.only ? { sql: ` AND ${c.only.column} = ?`, params: [c.only.equals] } : { sql: '', params: [] };

/**
 * Removes records whose call ended before the cutoff: every row keyed by the call (normalized rows, raw
 * versions, facts, plans), never the rollups: those stay as anonymous aggregates (as CQD keeps its
 * aggregates). A tombstone remembers the id, so a copy imported again later is removed with its contribution.
 */
export async function removeOldRecords(db: Db, run: RetentionRun, cutoff: number): Promise<number> {
  const ids = (
    await db.all<{ id: string }>(
      `SELECT c.id AS id FROM calls c WHERE ${callTime} < ?
       UNION SELECT DISTINCT r.call_id AS id FROM raw_versions r
       WHERE r.received_at < ? AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = r.call_id)`,
      [cutoff, cutoff],
    )
  ).map((r) => r.id);
  const tables = ofKinds(run, ['call-rows', 'facts', 'raw']);
  for (let i = 0; i < ids.length; i += BATCH) {
    const part = ids.slice(i, i + BATCH);
    await db.transaction(async (tx) => {
      for (const t of tables) {
        const where = `${callKey(t)} IN (${marks(part.length)})`;
        const n = run.dryRun
          ? Number(
              (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${where}`, part))?.n,
            )
          : (await tx.run(`DELETE FROM ${t.table} WHERE ${where}`, part)).changes;
        add(run.tally.removed, t.table, n);
        if (n > 0) run.tally.touched.add(t.table);
      }
      if (!run.dryRun)
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
export async function removeReturnedRecords(
  db: Db,
  records: RecordRepository,
  run: RetentionRun,
): Promise<number> {
  const ids = await db.all<{ id: string }>(
    'SELECT c.id AS id FROM calls c JOIN privacy_expired_calls e ON e.call_id = c.id',
  );
  if (run.dryRun) return ids.length;
  for (const { id } of ids) {
    await records.delete(id);
    for (const t of ofKinds(run, ['call-rows', 'facts']))
      add(
        run.tally.removed,
        t.table,
        (await db.run(`DELETE FROM ${t.table} WHERE ${callKey(t)} = ?`, [id])).changes,
      );
    run.tally.touched.add('calls').add('raw_versions');
  }
  return ids.length;
}

/** Clears (or tokenizes) every personal column of a table's rows matching `where`. */
export async function clearColumns(
  tx: Db,
  run: RetentionRun,
  t: RetentionTable,
  where: Where,
): Promise<void> {
  for (const c of t.columns) {
    if (c.scrub) continue;
    const only = onlyOf(c);
    const cond = {
      sql: `${where.sql} AND ${c.column} IS NOT NULL${only.sql}`,
      params: [...where.params, ...only.params],
    };
    if (c.expire === 'token') {
      await tokenizeColumn(tx, run, t.table, c.column, cond);
      continue;
    }
    const n = run.dryRun
      ? Number(
          (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${cond.sql}`, cond.params))
            ?.n,
        )
      : (await tx.run(`UPDATE ${t.table} SET ${c.column} = NULL WHERE ${cond.sql}`, cond.params)).changes;
    add(run.tally.cleared, `${t.table}.${c.column}`, n);
    if (n > 0) run.tally.touched.add(t.table);
  }
}

/**
 * Replaces each not yet tokenized value of a column by its keyed token: one UPDATE with a CASE per chunk of
 * values, so a batch of calls costs a statement per column rather than one per person.
 */
async function tokenizeColumn(
  tx: Db,
  run: RetentionRun,
  table: string,
  col: string,
  cond: Where,
): Promise<void> {
  const open = `${cond.sql} AND ${col} <> '' AND ${col} NOT LIKE 'pz.%'`;
  const key = `${table}.${col}`;
  if (run.dryRun) {
    const n = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${open}`, cond.params);
    add(run.tally.tokenized, key, Number(n?.n ?? 0));
    return;
  }
  const values = (
    await tx.all<{ v: string }>(`SELECT DISTINCT ${col} AS v FROM ${table} WHERE ${open}`, cond.params)
  ).map((r) => r.v);
  for (let i = 0; i < values.length; i += 500) {
    const part = values.slice(i, i + 500);
    const cases = part.map(() => 'WHEN ? THEN ?').join(' ');
    const n = (
      await tx.run(
        `UPDATE ${table} SET ${col} = CASE ${col} ${cases} ELSE ${col} END WHERE ${open} AND ${col} IN (${marks(part.length)})`,
        [...part.flatMap((v) => [v, run.token(v)]), ...cond.params, ...part],
      )
    ).changes;
    add(run.tally.tokenized, key, n);
    if (n > 0) run.tally.touched.add(table);
  }
}

/**
 * Clears every EUII column of the rows of records that ended before the cutoff. A marker per record (its
 * version and receipt time) keeps later runs from rescanning it, and a record saved again (a newer version,
 * a same-version merge) is scrubbed again.
 */
export async function scrubRecordRows(db: Db, run: RetentionRun, cutoff: number): Promise<number> {
  const tables = ofKinds(run, ['call-rows']);
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
        await clearColumns(tx, run, t, { sql: `${callKey(t)} IN (${marks(ids.length)})`, params: ids });
      if (run.dryRun) return;
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

/**
 * Scrubs every stored raw version of records that ended before the cutoff: decompressed, cleared by the Graph
 * JSON catalog, compressed again. The sha1 stays that of the version as first stored, so fetching the same
 * payload again is still "unchanged"; a marker holding it tells when the repository rewrote the body.
 */
export async function scrubRawVersions(db: Db, run: RetentionRun, cutoff: number): Promise<number> {
  let total = 0;
  for (let after = { id: '', version: -1 }; ; ) {
    const due = await db.all<{ call_id: string; version: number }>(
      `SELECT r.call_id AS call_id, r.version AS version FROM raw_versions r
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
    for (const item of due) await scrubRaw(db, run, item, cutoff);
  }
  return total;
}

async function scrubRaw(
  db: Db,
  run: RetentionRun,
  item: { call_id: string; version: number },
  cutoff: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    const raw = await tx.get<{ encoding: string; body: Uint8Array; sha1: string }>(
      'SELECT encoding, body, sha1 FROM raw_versions WHERE call_id = ? AND version = ?',
      [item.call_id, item.version],
    );
    if (!raw) return;
    const counts = new Map<string, number>();
    const text = decompress(raw.body, raw.encoding);
    const scrubbed = JSON.stringify(run.scrubRecord(JSON.parse(text), counts));
    countInto(counts, run.tally.cleared, 'raw_versions.body');
    if (run.dryRun) return;
    if (scrubbed !== text) {
      await tx.run(
        `UPDATE raw_versions SET encoding = 'deflate', size = ?, body = ? WHERE call_id = ? AND version = ?`,
        [Buffer.byteLength(scrubbed), compress(scrubbed), item.call_id, item.version],
      );
      run.tally.touched.add('raw_versions');
    }
    await tx.run(
      `INSERT INTO privacy_scrubbed_raw (call_id, version, sha1, scrubbed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id, version) DO UPDATE SET sha1 = excluded.sha1, scrubbed_at = excluded.scrubbed_at`,
      [item.call_id, item.version, raw.sha1, cutoff],
    );
  });
}
