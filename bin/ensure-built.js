// Rebuilds dist/ in a checkout when its sources are newer (tsc for the CLI, vite for the dashboard), once at a time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');

/** Newest modification time under a path, leaving out tests (they are never compiled). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return /(\.test\.ts|\/test-[^/]*\.ts)$/.test(path) ? 0 : st.mtimeMs;
  let n = 0;
  for (const entry of readdirSync(path)) if (entry !== 'testdata') n = Math.max(n, newest(join(path, entry)));
  return n;
}

const parts = {
  cli: {
    stamp: join(dist, '.cli-built'),
    sources: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'],
    what: 'compiling the CLI (tsc -p tsconfig.build.json)',
    run: () => execFileSync(bin('tsc'), ['-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' }),
  },
  web: {
    stamp: join(dist, 'web', 'index.html'),
    sources: ['web/src', 'web/index.html', 'web/vite.config.ts'],
    what: 'building the dashboard (vite build web)',
    run: () => execFileSync(bin('vite'), ['build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }),
  },
};

function bin(name) {
  const path = join(root, 'node_modules', '.bin', name);
  if (!existsSync(path)) {
    throw new Error(`calltrove: ${name} is missing, so dist/ cannot be built from this checkout: run \`npm ci\` first`);
  }
  return path;
}

function stale(part) {
  const p = parts[part];
  if (!existsSync(p.stamp)) return true;
  const builtAt = statSync(p.stamp).mtimeMs;
  return Math.max(...p.sources.map((s) => newest(join(root, s)))) > builtAt;
}

/** True when this is a source checkout (a package install ships dist/ only and is never rebuilt). */
export function isCheckout() {
  return existsSync(join(root, 'src', 'cli', 'main.ts'));
}

const lock = join(root, 'dist.lock');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the stale parts (default both), saying what it does through `say`. Concurrent callers (test workers,
 * two terminals) take a lock directory so one builds and the others wait for it and find dist fresh.
 */
export function ensureBuilt({ only = ['cli', 'web'], say = () => {} } = {}) {
  if (!isCheckout() || !only.some(stale)) return false;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A builder that died leaves its lock: ten minutes is longer than any build.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      sleep(200);
    }
  }
  try {
    let built = false;
    for (const part of only) {
      if (!stale(part)) continue;
      say(`${parts[part].what}: the sources are newer than dist/ (first run in this checkout, or edited)`);
      const started = Date.now();
      parts[part].run();
      mkdirSync(dist, { recursive: true });
      if (part === 'cli') writeFileSync(parts.cli.stamp, `${new Date().toISOString()}\n`);
      say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      built = true;
    }
    return built;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// `node bin/ensure-built.js [--clean]` (npm run build, prepack): a build from nothing with --clean, else what is stale.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });
  ensureBuilt({ say: (message) => process.stderr.write(`build: ${message}\n`) });
}
