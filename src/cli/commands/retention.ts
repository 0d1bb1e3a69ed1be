// `calltrove retention run [--dry-run] [--now <iso time>]`: clears EUII after euiiDays, removes records after recordDays.
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import { type RetentionReport, summarizeReport } from '../../privacy/retention.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { type RetentionStatus, retentionRun, retentionStatus } from '../../service/privacy.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

function parseNow(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t))
    throw new CalltroveError('bad_request', `bad --now "${v}"`, {
      hint: 'give an ISO time such as 2026-03-01T00:00:00Z',
    });
  return t;
}

/** What a run did, counts only: never a cleared value. */
export function formatRetention(r: RetentionReport): string {
  const verb = r.dryRun ? 'would be' : 'were';
  const lines = [
    `retention as of ${r.asOf}${r.dryRun ? ' (dry run: nothing changed)' : ''}`,
    `  EUII cleared from calls that ended before ${r.euiiCutoff}: ${r.recordsScrubbed} record(s), ${r.rawVersionsScrubbed} raw version(s) ${verb} scrubbed`,
    `  analytics user keys tokenized through ${r.tokenizedThroughDay}`,
    `  records that ended before ${r.recordCutoff}: ${r.recordsRemoved} ${verb} removed (rollups kept as anonymous aggregates)`,
  ];
  const details = summarizeReport(r);
  if (details.length > 0) lines.push('', ...details.map((l) => `  ${l}`));
  if (r.compaction)
    lines.push('', `  compaction: ${r.compaction.done ? 'done' : 'NOT done'} (${r.compaction.detail})`);
  return `${lines.join('\n')}\n`;
}

export function formatStatus(s: RetentionStatus): string {
  const lines = [`euiiDays ${s.euiiDays}, recordDays ${s.recordDays}, mode ${s.mode}`];
  if (s.runs.length === 0) lines.push('no retention run yet: run `calltrove retention run`');
  for (const r of s.runs)
    lines.push(
      `${new Date(r.startedAt).toISOString()}  as of ${new Date(r.asOf).toISOString()}  ` +
        (r.report
          ? `scrubbed ${r.report.recordsScrubbed}, raw ${r.report.rawVersionsScrubbed}, removed ${r.report.recordsRemoved}`
          : 'did not finish'),
    );
  return `${lines.join('\n')}\n`;
}

export const registerRetention: Register = (program: Command, env) => {
  const retention = program
    .command('retention')
    .description(
      'privacy retention: EUII cleared after privacy.euiiDays, records removed after privacy.recordDays',
    );
  retention
    .command('run')
    .description('run retention once now (serve and collect also run it on their own every few hours)')
    .option('--dry-run', 'only count what would be cleared and removed')
    .option('--now <iso time>', 'act as of this time instead of now (e.g. to see what a date will clear)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { dryRun?: boolean; now?: string; format: string }, cmd: Command) => {
      if (!['text', 'json'].includes(opts.format))
        throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
          hint: 'use text or json',
        });
      const asOf = parseNow(opts.now);
      const opened = await openCommandService(commandConfig(cmd, env), 'read');
      try {
        const report = await retentionRun(opened.service, cliPrincipal(), { asOf, dryRun: opts.dryRun });
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatRetention(report),
        );
        if (report.compaction && !report.compaction.done)
          throw new CalltroveError('incomplete', 'retention ran, but the compaction did not finish', {
            hint: 'run `calltrove retention run` again to finish it',
          });
      } finally {
        await opened.close();
      }
    });
  retention
    .command('status')
    .description('the last retention runs: when, as of when, and what they cleared (counts)')
    .option('--limit <n>', 'how many runs', '5')
    .action(async (opts: { limit: string }, cmd: Command) => {
      const opened = await openCommandService(commandConfig(cmd, env), 'read');
      try {
        const status = await retentionStatus(
          opened.service,
          cliPrincipal(),
          Math.max(1, Number(opts.limit) || 5),
        );
        process.stdout.write(formatStatus(status));
      } finally {
        await opened.close();
      }
    });
};
