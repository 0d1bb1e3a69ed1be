// `calltrove export <table> --format csv|ndjson`: any stored table, streamed, for Excel and Power BI.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { ExportFormat } from '../../analytics/export-table.ts';
import { parseTime } from '../../analytics/parse-quality-query.ts';
import { SystemClock } from '../../clock/clock.ts';
import { CalltroveError } from '../../errors.ts';
import { exportTableNames, tableExport } from '../../service/exports.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

/** Writes with backpressure, so a 10-million-row export never piles up in memory. */
function write(out: Writable, chunk: string): Promise<void> | undefined {
  if (out.destroyed || out.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

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
        const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
        // A reader that stops early (`| head`) closes the pipe: stop exporting quietly.
        out.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EPIPE')
            process.stderr.write(`calltrove: cannot write the export: ${err.message}\n`);
          out.destroy();
        });
        try {
          const lines = await tableExport(opened.service, cliPrincipal(), table, {
            format: opts.format as ExportFormat,
            since,
            until,
            times: opts.epochMs ? 'epoch-ms' : 'iso',
          });
          if (opts.bom && opts.format === 'csv') await write(out, '\uFEFF');
          let batch = '';
          for await (const line of lines) {
            if (out.destroyed) break;
            batch += line;
            if (batch.length > 64 * 1024) {
              await write(out, batch);
              batch = '';
            }
          }
          if (batch && !out.destroyed) await write(out, batch);
        } finally {
          if (opts.out)
            await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
          await opened.close();
        }
      },
    );
};
