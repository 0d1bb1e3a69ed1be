// Vitest's global setup: builds the dashboard (dist/web) once before the browser tests serve it, if it is stale.
import { ensureBuilt } from '../bin/ensure-built.js';

export default function setup(): void {
  ensureBuilt({ only: ['web'], say: (message) => process.stderr.write(`test setup: ${message}\n`) });
}
