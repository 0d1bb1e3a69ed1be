// `calltrove import <path...>`: loads call records from files, folders or globs through the ingest pipeline.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import type { ImportSummary } from '../../ingest/import-files.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { importFiles } from '../../service/records.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

export function formatImportSummary(s: ImportSummary): string {
  const imported = s.inserted + s.updated;
  const lines = [
    `imported ${imported} (new ${s.inserted}, updated ${s.updated}), unchanged ${s.unchanged}, ` +
      `superseded ${s.superseded}, failed ${s.failed.length}` +
      (s.logRows ? `, PSTN/Direct Routing rows ${s.logRows}` : '') +
      (s.skipped.length ? `, skipped ${s.skipped.length} file(s)` : '') +
      (s.warnings.length ? `, ${s.warnings.length} impossible value(s) stored as null` : '') +
      (s.incomplete.length ? `, ${s.incomplete.length} record(s) not whole` : '') +
      ` — from ${s.files} file(s)`,
  ];
  for (const k of s.skipped) lines.push(`  skipped ${k.source}: ${k.reason}`);
  for (const w of s.warnings) lines.push(`  warning ${w.message}`);
  for (const w of s.incomplete) lines.push(`  warning ${w.message}`);
  for (const f of s.failed) lines.push(`  failed  ${f.message}`);
  return `${lines.join('\n')}\n`;
}

export const registerImport: Register = (program: Command, env) => {
  program
    .command('import')
    .description(
      'import call records from JSON files (one record, a Graph page, or NDJSON), folders or globs',
    )
    .argument('<path...>', 'files, folders (every .json/.ndjson/.jsonl inside) or glob patterns')
    .option(
      '--tenant <id>',
      'the tenant whose Graph the records came from (decides organizer/participant view)',
    )
    .action(async (paths: string[], opts: { tenant?: string }, cmd: Command) => {
      const opened = await openCommandService(commandConfig(cmd, env), 'write');
      const bar = process.stderr.isTTY
        ? new SingleBar(
            {
              format: 'importing [{bar}] {percentage}% | {value}/{total} KiB | {records} records',
              stream: process.stderr,
              hideCursor: true,
              clearOnComplete: true,
            },
            undefined,
          )
        : undefined;
      let summary: ImportSummary;
      try {
        summary = await importFiles(opened.service, cliPrincipal(), paths, {
          tenantId: opts.tenant,
          onProgress: (p) => {
            if (!bar) return;
            const total = Math.max(1, Math.ceil(p.bytesTotal / 1024));
            if (p.filesDone === 0 && p.records === 0) bar.start(total, 0, { records: 0 });
            bar.update(Math.ceil(p.bytesDone / 1024), { records: p.records });
          },
        });
      } finally {
        bar?.stop();
        await opened.close();
      }
      process.stdout.write(formatImportSummary(summary));
      if (summary.failed.length > 0)
        throw new CalltroveError('bad_input', `${summary.failed.length} input(s) could not be imported`, {
          hint: 'each failure above names the file and the JSON path; fix or re-export those, then import again (records already imported report unchanged)',
        });
    });
};
