// bench:startup: `calltrove --help` from the installed package against a bare `node -e ''`, medians side by side.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.env.RUNS ?? 9);
// An existing install (PREFIX=/some/prefix) is reused; otherwise the checkout is packed and installed, dev deps left out.
let prefix = process.env.PREFIX;
if (!prefix) {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-startup-'));
  execFileSync('npm', ['pack', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? '');
  prefix = join(dir, 'prefix');
  execFileSync('npm', ['install', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', tarball], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const bin = join(prefix, 'node_modules', 'calltrove', 'bin', 'calltrove.js');
if (!existsSync(bin)) throw new Error(`no installed calltrove at ${bin}`);

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bare: number[] = [];
const help: number[] = [];
// Alternated, so load from other processes on the machine falls on both alike.
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '']));
  help.push(time([bin, '--help']));
}
const ratio = median(help) / median(bare);
console.log(`node -e ''          median ${median(bare).toFixed(0)} ms over ${runs} runs`);
console.log(`calltrove --help    median ${median(help).toFixed(0)} ms over ${runs} runs (installed package)`);
console.log(`ratio ${ratio.toFixed(2)}x (goal: within 5x) ${ratio <= 5 ? 'met' : 'NOT met'}`);
