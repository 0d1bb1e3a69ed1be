// The options `report causes` and `report changes` share: the scope's filters, the zone, how many rows, the format,
// and answering as a viewer; checked the same way for both.
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';

export interface InsightOptions {
  tz?: string;
  filter: string[];
  limit: string;
  format: string;
  asViewer?: boolean;
}

export function insightOptions(cmd: Command, limit: string, rows: string): Command {
  return cmd
    .option('--tz <zone>', 'IANA time zone dates without a zone are read in (default UTC)')
    .option(
      '--filter <dimension=values>',
      'the scope: keep streams whose dimension has one of the values (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--limit <n>', `at most this many ${rows}`, limit)
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--as-viewer', `answer as a viewer: ${rows} of fewer than privacy.minGroupSize users left out`);
}

/** Refuses a format or limit the command does not know, before any store is opened. */
export function checkInsightOptions(opts: InsightOptions): {
  limit: number;
  format: 'table' | 'csv' | 'json';
} {
  if (!['table', 'csv', 'json'].includes(opts.format))
    throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
      hint: 'use table, csv or json',
    });
  if (!/^\d+$/.test(opts.limit) || Number(opts.limit) < 1)
    throw new CalltroveError('bad_request', `bad --limit "${opts.limit}"`, { hint: 'a whole number ≥ 1' });
  return { limit: Number(opts.limit), format: opts.format as 'table' | 'csv' | 'json' };
}
