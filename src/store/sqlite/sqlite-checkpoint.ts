// SQLite's checkpointing role: during bulk writes, WAL checkpoints (copying committed pages into the database file,
// and its fsyncs) run on a second connection in a worker thread instead of inside the writer's commits.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * For bulk writes: WAL checkpoints (copying committed pages into the database file, and its fsyncs) run on a
 * second connection in a background thread instead of inside this connection's commits. PASSIVE checkpoints
 * never block the writer; the WAL is reset as usual once one has caught up. Call the returned stop when done.
 */
export function checkpointInBackground(raw: Database.Database, file: string): () => Promise<void> {
  if (file === ':memory:') return async () => undefined;
  const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require(workerData.module);
      const db = new Database(workerData.file);
      db.pragma('busy_timeout = 1000');
      const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
      const timer = setInterval(checkpoint, 100);
      parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.postMessage('stopped'); });
      parentPort.postMessage('ready');`;
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(code, { eval: true, workerData: { module, file } });
  const ready = once(worker, 'message');
  raw.pragma('wal_autocheckpoint = 0');
  return async () => {
    try {
      await ready;
      worker.postMessage('stop');
      await once(worker, 'message');
    } finally {
      await worker.terminate();
      raw.pragma('wal_autocheckpoint = 1000');
    }
  };
}
