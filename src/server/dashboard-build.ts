// Builds the dashboard (vite) when dist/web is missing or older than its sources, so a fresh clone's
// `npm start` / `calltrove serve` shows it without a separate build step.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../config/logger.ts';

export const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
export const builtDashboardDir = fileURLToPath(new URL('../../dist/web/', import.meta.url));
/** Sources whose change makes the built dashboard stale (the server types it imports vanish from the bundle). */
const sourceDirs = [join(webDir, 'src')];
const sourceFiles = [join(webDir, 'index.html'), join(webDir, 'vite.config.ts')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/web/index.html is missing or older than a dashboard source. */
export function dashboardStale(): boolean {
  const built = join(builtDashboardDir, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = Math.max(...sourceDirs.map(newestMtime), ...sourceFiles.map(newestMtime));
  return sources > builtAt;
}

export type DashboardState = 'fresh' | 'built' | 'unavailable';

/**
 * Builds the dashboard if it is stale. Without the web sources or vite (a production install from a package
 * that ships dist/web), the existing build is used as it is; when there is none, the API still serves.
 */
export async function ensureDashboard(logger?: Logger): Promise<DashboardState> {
  if (!dashboardStale()) return 'fresh';
  if (!existsSync(join(webDir, 'index.html'))) return existsSync(builtDashboardDir) ? 'fresh' : 'unavailable';
  let build: typeof import('vite').build;
  try {
    ({ build } = await import('vite'));
  } catch {
    logger?.warn(
      'the dashboard is not built and vite is not installed: run `npm install` then `npm run build:web`',
    );
    return existsSync(builtDashboardDir) ? 'fresh' : 'unavailable';
  }
  logger?.info('building the dashboard (vite)');
  // Built beside the old one and swapped in, so a server (or a second builder) never sees a half-written folder.
  const staging = `${builtDashboardDir.replace(/\/$/, '')}.build-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await build({
      configFile: join(webDir, 'vite.config.ts'),
      root: webDir,
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    rmSync(builtDashboardDir, { recursive: true, force: true });
    renameSync(staging, builtDashboardDir);
  } catch (err) {
    // Another process finished first: its build is as good as ours.
    if (!existsSync(join(builtDashboardDir, 'index.html'))) throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return 'built';
}
