// `calltrove export <table> --format csv|ndjson`: any stored table, streamed, for Excel and Power BI.
import type { Command } from 'commander';
import type { ExportFormat } from '../../analytics/export-table.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { exportTableNames, tableExport } from '../../service/exports.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import { openOutput } from '../output.ts';
import type { Register } from './index.ts';

export const registerExport: Register = (program: Command, env) => {
  program
    .command('export <table>')
    .description(`stream a table as CSV or NDJSON; tables: ${exportTableNames.join(', ')}`)
    .option('--format <format>', 'csv or ndjson', 'csv')
    .option('--since <time>', 'rows of calls that started at or after: 7d, 2024-05-01 or an ISO timestamp')
    .option('--until <time>', 'rows of calls that started before (same forms)')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--epoch-ms', 'times as stored (milliseconds since 1970, UTC) instead of ISO 8601')
    .option('--bom', 'start CSV with a UTF-8 byte order mark (Excel then reads accents right)')
    .action(
      async (
        table: string,
        opts: {
          format: string;
          since?: string;
          until?: string;
          out?: string;
          bom?: boolean;
          epochMs?: boolean;
        },
        cmd: Command,
      ) => {
        if (!['csv', 'ndjson'].includes(opts.format))
          throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
            hint: 'use csv or ndjson',
          });
        if (!exportTableNames.includes(table))
          throw new CalltroveError('bad_request', `unknown table "${table}"`, {
            hint: `tables: ${exportTableNames.join(', ')}`,
          });
        const clock = new SystemClock();
        const since = opts.since ? parseTime(opts.since, clock.now(), '--since') : undefined;
        const until = opts.until ? parseTime(opts.until, clock.now(), '--until') : undefined;
        const opened = await openCommandService(commandConfig(cmd, env), 'read', clock);
        // The one output writer: a full disk, a missing folder or no permission ends with a message and exit 7.
        const out = openOutput(opts.out);
        try {
          const lines = await tableExport(opened.service, cliPrincipal(), table, {
            format: opts.format as ExportFormat,
            since,
            until,
            times: opts.epochMs ? 'epoch-ms' : 'iso',
          });
          if (opts.bom && opts.format === 'csv') await out.write('\uFEFF');
          let batch = '';
          for await (const line of lines) {
            // A reader that stops early (`| head`) closed the pipe: stop exporting quietly.
            if (out.closed) break;
            batch += line;
            if (batch.length > 64 * 1024) {
              await out.write(batch);
              batch = '';
            }
          }
          if (batch) await out.write(batch);
          await out.end();
        } finally {
          await opened.close();
        }
      },
    );
};
