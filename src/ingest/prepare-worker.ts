// Worker thread of the import: prepares the units of each job it is sent (prepareUnit) and sends the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { type Building, createBuildingMap } from '../quality/buildings.ts';
import { emptyCells } from '../store/rollup-cells.ts';
import type { TransformFactory } from './prepare-pool.ts';
import { type JobMessage, packResult, unpackJob } from './prepare-transport.ts';
import { type PrepareContext, prepareUnit } from './prepare-unit.ts';

export interface WorkerSetup {
  tenantId?: string;
  transform?: TransformFactory;
  buildings: Building[];
}

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('prepare-worker runs as a worker thread');

const ctx: PrepareContext = {
  tenantId: setup.tenantId,
  buildings: createBuildingMap(setup.buildings),
};
if (setup.transform) {
  const mod = (await import(setup.transform.module)) as Record<
    string,
    (options: unknown) => PrepareContext['transform']
  >;
  ctx.transform = mod[setup.transform.name](setup.transform.options);
}

port.on('message', (job: JobMessage) => {
  const cells = emptyCells();
  const items = unpackJob(job).map(({ unit, receivedAt }) => prepareUnit(unit, ctx, receivedAt, cells));
  const result = packResult(job.id, items, cells);
  port.postMessage(result, [result.bodies]);
});
port.postMessage({ ready: true });
