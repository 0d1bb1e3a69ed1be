// The retention job's run log: when each run started, as of when it acted, and its summary (counts, no values).
import type { Db } from './db.ts';

export interface RetentionRun {
  startedAt: number;
  asOf: number;
  /** null while running, or when the run did not finish. */
  finishedAt: number | null;
  /** The run's report as JSON, when it finished. */
  summary: string | null;
}

export interface RetentionRunLog {
  /** Records a run's start; returns its id. */
  start(startedAt: number, asOf: number): Promise<number>;
  finish(id: number, finishedAt: number, summary: string): Promise<void>;
  /** The newest runs first. */
  latest(limit: number): Promise<RetentionRun[]>;
}

export function createRetentionRunLog(db: Db): RetentionRunLog {
  return {
    async start(startedAt, asOf) {
      const row = await db.get<{ id: number }>(
        'INSERT INTO privacy_runs (started_at, as_of, dry_run) VALUES (?, ?, 0) RETURNING id',
        [startedAt, asOf],
      );
      return Number(row?.id);
    },
    async finish(id, finishedAt, summary) {
      await db.run('UPDATE privacy_runs SET finished_at = ?, summary = ? WHERE id = ?', [
        finishedAt,
        summary,
        id,
      ]);
    },
    async latest(limit) {
      const rows = await db.all<{
        started_at: number;
        as_of: number;
        finished_at: number | null;
        summary: string | null;
      }>('SELECT started_at, as_of, finished_at, summary FROM privacy_runs ORDER BY id DESC LIMIT ?', [
        limit,
      ]);
      return rows.map((r) => ({
        startedAt: Number(r.started_at),
        asOf: Number(r.as_of),
        finishedAt: r.finished_at === null ? null : Number(r.finished_at),
        summary: r.summary,
      }));
    },
  };
}
