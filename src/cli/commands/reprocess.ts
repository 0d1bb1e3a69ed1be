// `calltrove reprocess`: rebuilds every record's normalized rows from its newest raw version.
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import { commandConfig } from '../context.ts';
import { openCommandStore } from '../open-store.ts';
import type { Register } from './index.ts';

export const registerReprocess: Register = (program: Command, env) => {
  program
    .command('reprocess')
    .description('rebuild the normalized tables from the raw call records kept (after an upgrade)')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const result = await store.records.reprocess();
        process.stdout.write(`reprocessed ${result.records} record(s), failed ${result.failed.length}\n`);
        for (const f of result.failed) process.stdout.write(`  failed  ${f.id}: ${f.problem}\n`);
        if (result.failed.length > 0)
          throw new CalltroveError('internal', `${result.failed.length} record(s) could not be rebuilt`, {
            hint: 'their previous rows are unchanged; report the messages above',
          });
      } finally {
        await store.close();
      }
    });
};
