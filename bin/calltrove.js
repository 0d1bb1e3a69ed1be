#!/usr/bin/env node
// The `calltrove` command: loads the TypeScript CLI through tsx so the checkout runs without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { exitOnBrokenPipe } = await import('../src/cli/broken-pipe.ts');
exitOnBrokenPipe(process.stdout);
process.exitCode = await main(process.argv.slice(2), process.env);
