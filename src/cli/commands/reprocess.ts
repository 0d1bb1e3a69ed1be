// `calltrove reprocess`: rebuilds every record's normalized rows from its newest raw version.
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { reprocessRecords } from '../../service/records.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

export const registerReprocess: Register = (program: Command, env) => {
  program
    .command('reprocess')
    .description('rebuild the normalized tables from the raw call records kept (after an upgrade)')
    .action(async (_opts: unknown, cmd: Command) => {
      const opened = await openCommandService(commandConfig(cmd, env), 'read');
      try {
        const result = await reprocessRecords(opened.service, cliPrincipal());
        process.stdout.write(`reprocessed ${result.records} record(s), failed ${result.failed.length}\n`);
        for (const f of result.failed) process.stdout.write(`  failed  ${f.id}: ${f.problem}\n`);
        if (result.failed.length > 0)
          throw new CalltroveError('internal', `${result.failed.length} record(s) could not be rebuilt`, {
            hint: 'their previous rows are unchanged; report the messages above',
          });
      } finally {
        await opened.close();
      }
    });
};
