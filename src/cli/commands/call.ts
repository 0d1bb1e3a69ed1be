// `calltrove call <id>`: one call in a terminal (text) or nested as Graph nests it (json, durations also in ms).
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import { callRecord } from '../../service/calls.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import { callText } from './call-text.ts';
import type { Register } from './index.ts';

export const registerCall: Register = (program: Command, env) => {
  program
    .command('call')
    .description('show one call: participants, sessions, segments and each stream’s metrics')
    .argument('<id>', 'the call record id')
    .option('--format <format>', 'text or json', 'text')
    .action(async (id: string, opts: { format: string }, cmd: Command) => {
      if (!['text', 'json'].includes(opts.format))
        throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
          hint: 'use text or json',
        });
      const opened = await openCommandService(commandConfig(cmd, env), 'read');
      try {
        const call = await callRecord(opened.service, cliPrincipal(), id);
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(call.detail, null, 2)}\n` : callText(call.detail),
        );
      } finally {
        await opened.close();
      }
    });
};
