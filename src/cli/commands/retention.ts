// `calltrove retention run [--dry-run] [--now <iso time>]`: clears EUII after euiiDays, removes records after recordDays.
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import {
  type RetentionReport,
  retentionOptions,
  runRetention,
  summarizeReport,
} from '../../privacy/retention.ts';
import { commandConfig } from '../context.ts';
import { openCommandStore } from '../open-store.ts';
import type { Register } from './index.ts';

function parseNow(v: string | undefined): number {
  if (v === undefined) return Date.now();
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
      const config = commandConfig(cmd, env);
      const now = parseNow(opts.now);
      const store = await openCommandStore(config, 'read');
      try {
        const report = await runRetention(store, retentionOptions(config, now, opts.dryRun ?? false));
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatRetention(report),
        );
        if (report.compaction && !report.compaction.done) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
  retention
    .command('status')
    .description('the last retention runs: when, as of when, and what they cleared (counts)')
    .option('--limit <n>', 'how many runs', '5')
    .action(async (opts: { limit: string }, cmd: Command) => {
      const config = commandConfig(cmd, env);
      const store = await openCommandStore(config, 'read');
      try {
        const runs = await store.db.all<{
          started_at: number;
          as_of: number;
          finished_at: number | null;
          summary: string | null;
        }>('SELECT started_at, as_of, finished_at, summary FROM privacy_runs ORDER BY id DESC LIMIT ?', [
          Math.max(1, Number(opts.limit) || 5),
        ]);
        process.stdout.write(
          `euiiDays ${config.privacy.euiiDays}, recordDays ${config.privacy.recordDays}, mode ${config.privacy.mode}\n`,
        );
        if (runs.length === 0) process.stdout.write('no retention run yet: run `calltrove retention run`\n');
        for (const r of runs) {
          const s = r.summary ? (JSON.parse(r.summary) as RetentionReport) : undefined;
          process.stdout.write(
            `${new Date(Number(r.started_at)).toISOString()}  as of ${new Date(Number(r.as_of)).toISOString()}  ` +
              (s
                ? `scrubbed ${s.recordsScrubbed}, raw ${s.rawVersionsScrubbed}, removed ${s.recordsRemoved}\n`
                : 'did not finish\n'),
          );
        }
      } finally {
        await store.close();
      }
    });
};
