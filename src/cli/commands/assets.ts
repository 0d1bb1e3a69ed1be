// `calltrove access-points import|list` (BSSID,APName,BuildingName,Floor) and `calltrove endpoints import|list`
// (CQD's endpoint data file).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import { formatAccessPointFile, formatEndpointFile } from '../../quality/asset-files.ts';
import {
  accessPointList,
  endpointAssetList,
  importAccessPointFile,
  importEndpointFile,
} from '../../service/assets.ts';
import { cliPrincipal } from '../../service/principal.ts';
import type { Service } from '../../service/service.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

export const accessPointsSummary = 'the access-point file (BSSID → AP name, building, floor)';
export const endpointsSummary = "CQD's endpoint data file (endpoint name → model, type, labels)";

function readInput(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CalltroveError('bad_request', `cannot read ${file}: ${(err as Error).message}`, {
      hint: `give the path of the ${what}`,
    });
  }
}

interface AssetCommand<T> {
  name: string;
  summary: string;
  what: string;
  importHelp: string;
  noun: string;
  run: (
    s: Service,
    text: string,
  ) => Promise<{
    rows: number;
    skippedHeader: boolean;
    calls: number;
    streams: number;
    matchedStreams: number;
  }>;
  list: (s: Service) => Promise<T[]>;
  format: (list: readonly T[]) => string;
  matched: string;
}

function registerAssetCommand<T>(program: Command, env: NodeJS.ProcessEnv, c: AssetCommand<T>): void {
  const group = program.command(c.name).description(c.summary);
  group
    .command('import <file>')
    .description(c.importHelp)
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const text = readInput(file, c.what);
      const opened = await openCommandService(commandConfig(cmd, env), 'write');
      try {
        const r = await c.run(opened.service, text);
        const out = [
          `imported ${r.rows} ${c.noun}(s)${r.skippedHeader ? ' (header row skipped)' : ''}`,
          `rebuilt rollups: ${r.calls} call(s), ${r.streams} stream(s); ${r.matchedStreams} stream(s) ${c.matched}`,
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await opened.close();
      }
    });
  group
    .command('list')
    .description(`the current ${c.what}, in its file layout (CSV) or as JSON`)
    .option('--format <format>', 'csv or json', 'csv')
    .action(async (opts: { format: string }, cmd: Command) => {
      if (!['csv', 'json'].includes(opts.format))
        throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
          hint: 'use csv or json',
        });
      const opened = await openCommandService(commandConfig(cmd, env), 'read');
      try {
        const list = await c.list(opened.service);
        process.stdout.write(
          opts.format === 'json'
            ? `${JSON.stringify(list, null, 2)}\n`
            : list.length
              ? `${c.format(list)}\n`
              : '',
        );
      } finally {
        await opened.close();
      }
    });
}

export const registerAccessPoints: Register = (program, env) =>
  registerAssetCommand(program, env, {
    name: 'access-points',
    summary: accessPointsSummary,
    what: 'access-point file',
    importHelp:
      'replace the access points with a CSV or TSV file of BSSID,APName,BuildingName,Floor (header optional) and rebuild the rollups',
    noun: 'access point',
    run: (s, text) => importAccessPointFile(s, cliPrincipal(), text),
    list: accessPointList,
    format: formatAccessPointFile,
    matched: 'now name their access point',
  });

export const registerEndpoints: Register = (program, env) =>
  registerAssetCommand(program, env, {
    name: 'endpoints',
    summary: endpointsSummary,
    what: 'endpoint file',
    importHelp:
      "replace the endpoints with CQD's endpoint data file (EndpointName, EndpointModel, EndpointType, EndpointLabel1-3; tab- or comma-separated, no header) and rebuild the rollups",
    noun: 'endpoint',
    run: (s, text) => importEndpointFile(s, cliPrincipal(), text),
    list: endpointAssetList,
    format: formatEndpointFile,
    matched: 'now carry an endpoint model or type',
  });
