// The compiled program's entry (dist/cli/entry.js, run by bin/calltrove.js): argv in, exit code out.
import { exitOnBrokenPipe } from './broken-pipe.ts';
import { main } from './main.ts';

exitOnBrokenPipe(process.stdout);
process.exitCode = await main(process.argv.slice(2), process.env);
