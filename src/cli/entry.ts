// The compiled program's entry (dist/cli/entry.js, run by bin/calltrove.js): argv in, exit code out.
import { exitOnBrokenPipe } from './broken-pipe.ts';
import { main } from './main.ts';

exitOnBrokenPipe(process.stdout);
// The process boundary: the environment is read here once and handed to main, which gives it to src/config (the one
// place that interprets it, CALLTROVE_* flags included); the exit code main returns is the one exit-code channel.
process.exitCode = await main(process.argv.slice(2), process.env);
