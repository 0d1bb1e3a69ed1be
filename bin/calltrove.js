#!/usr/bin/env node
// The `calltrove` command: runs the compiled CLI in dist/; in a checkout it first rebuilds what its sources outdate.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { ensureBuilt } = await import('./ensure-built.js');
  try {
    ensureBuilt({ say: (message) => process.stderr.write(`calltrove: ${message}\n`) });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
await import('../dist/cli/entry.js');
