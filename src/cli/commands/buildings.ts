// `calltrove buildings import <file>` (CQD building data file) and `calltrove buildings list`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CalltroveError } from '../../errors.ts';
import { formatBuildingFile } from '../../quality/buildings.ts';
import { buildingMap, importBuildingFile } from '../../service/buildings.ts';
import { cliPrincipal } from '../../service/principal.ts';
import { commandConfig } from '../command-config.ts';
import { openCommandService } from '../open-store.ts';
import type { Register } from './index.ts';

export const registerBuildings: Register = (program: Command, env) => {
  const buildings = program.command('buildings').description("the building map (CQD's building data file)");
  buildings
    .command('import <file>')
    .description(
      'replace the building map with a CQD building file (CSV or TSV, no header, 15 columns) and rebuild the rollups',
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CalltroveError('bad_request', `cannot read ${file}: ${(err as Error).message}`, {
          hint: 'give the path of the building file',
        });
      }
      const opened = await openCommandService(commandConfig(cmd, env), 'write');
      try {
        const r = await importBuildingFile(opened.service, cliPrincipal(), text);
        const out = [
          `imported ${r.rows} network row(s) for ${r.buildings} building(s)${r.vpnRows ? `, ${r.vpnRows} VPN range(s)` : ''}${r.skippedHeader ? ' (header row skipped)' : ''}`,
          `rebuilt rollups: ${r.calls} call(s), ${r.streams} stream(s); ${r.mappedStreams} stream(s) map to a building, ${r.unknownStreams} on unknown subnets`,
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await opened.close();
      }
    });
  buildings
    .command('list')
    .description('the current building map, in the building file layout (CSV) or as JSON')
    .option('--format <format>', 'csv or json', 'csv')
    .action(async (opts: { format: string }, cmd: Command) => {
      if (!['csv', 'json'].includes(opts.format))
        throw new CalltroveError('bad_request', `unknown format "${opts.format}"`, {
          hint: 'use csv or json',
        });
      const opened = await openCommandService(commandConfig(cmd, env), 'read');
      try {
        const list = await buildingMap(opened.service);
        process.stdout.write(
          opts.format === 'json'
            ? `${JSON.stringify(list, null, 2)}\n`
            : list.length
              ? `${formatBuildingFile(list)}\n`
              : '',
        );
      } finally {
        await opened.close();
      }
    });
};
