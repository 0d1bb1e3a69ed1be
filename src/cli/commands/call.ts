// `calltrove call <id>`: one call in a terminal (text) or nested as Graph nests it (json, durations also in ms).
import type { Command } from 'commander';
import type { JsonObject } from '../../analytics/call-views.ts';
import { callDetailFromRaw, callDetailOf } from '../../analytics/get-call.ts';
import { CalltroveError } from '../../errors.ts';
import type { CallRows } from '../../normalize/rows.ts';
import type { Store } from '../../store/store.ts';
import { auditCliRead } from '../audit-read.ts';
import { commandConfig } from '../context.ts';
import { openCommandStore } from '../open-store.ts';
import { callText } from './call-text.ts';
import type { Register } from './index.ts';

/** The same view getCall gives the REST API, from rows already loaded for the not-found check. */
async function detail(store: Store, rows: CallRows) {
  const raw = await store.records.rawJson(rows.call.id, rows.call.version);
  return raw ? callDetailFromRaw(raw as JsonObject, rows) : callDetailOf(rows);
}

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
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const rows = await store.records.rows(id);
        if (!rows)
          throw new CalltroveError('not_found', `no call with id ${id} is stored`, {
            hint: 'list stored calls with `calltrove calls`, or import the record first',
          });
        await auditCliRead(store, config, { action: 'call.read', resource: id, command: 'calltrove call' });
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(await detail(store, rows), null, 2)}\n` : callText(rows),
        );
      } finally {
        await store.close();
      }
    });
};
