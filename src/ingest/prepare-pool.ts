// A small pool of worker threads running the CPU half of import (prepare-worker.ts), one job at a time each.
import { Worker } from 'node:worker_threads';
import { type JobMessage, packJob, type ResultMessage } from './prepare-transport.ts';
import type { WorkerSetup } from './prepare-worker.ts';
import type { InputUnit } from './read-input.ts';

/**
 * How a worker makes the record transform (a function cannot cross threads): `module`'s export `name`, called
 * with `options`, returns it. It must return the very transform the main thread would use.
 */
export interface TransformFactory {
  module: string;
  name: string;
  options?: unknown;
}

interface Pending {
  job: JobMessage;
  resolve: (r: ResultMessage) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy?: Pending;
}

/** Run from the TypeScript sources (tsx, vitest), a worker registers tsx before loading its entry. */
function spawn(setup: WorkerSetup): Worker {
  const entry = new URL(
    import.meta.url.endsWith('.ts') ? './prepare-worker.ts' : './prepare-worker.js',
    import.meta.url,
  );
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: setup });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData: setup });
}

export class PreparePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private failure: unknown;

  constructor(size: number, setup: WorkerSetup) {
    for (let i = 0; i < size; i++) {
      const worker = spawn(setup);
      const slot: Slot = {
        worker,
        ready: new Promise((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
      };
      worker.on('message', (msg: ResultMessage | { ready: true }) => {
        if ('ready' in msg) return;
        const done = slot.busy;
        slot.busy = undefined;
        done?.resolve(msg);
        this.pump();
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an import worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /** Prepares units in a worker; rejects when the pool broke (the caller then prepares them itself). */
  run(units: readonly InputUnit[], receivedAt: readonly number[]): Promise<ResultMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const job = packJob(this.nextId++, units, receivedAt);
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const next = this.queue.shift() as Pending;
      slot.busy = next;
      slot.worker.postMessage(next.job, [next.job.buffer]);
    }
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const slot of this.slots) {
      slot.busy?.reject(err);
      slot.busy = undefined;
    }
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  /** Waits until every worker has loaded (startup cost kept out of the first job's time). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
