// Where the built dashboard lives (dist/web, shipped in the package) and whether it is there; it is served as it is.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../config/logger.ts';

/** dist/web beside the compiled server (dist/server) or, run from sources, the checkout's dist/web. */
export const builtDashboardDir = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export type DashboardState = 'fresh' | 'unavailable';

/**
 * Never builds at run time (an install folder is not ours to write): the package ships dist/web, and in a checkout
 * bin/calltrove.js (or the tests' setup) rebuilds it first. Without it the API still serves and the log says why.
 */
export function ensureDashboard(logger?: Logger, dir = builtDashboardDir): DashboardState {
  if (existsSync(join(dir, 'index.html'))) return 'fresh';
  logger?.warn(
    `the dashboard is not built (no ${join(dir, 'index.html')}): run \`npm run build\`; the API still serves`,
  );
  return 'unavailable';
}
