// The `calltrove` command line: parses arguments and hands each command to its module under commands/.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.ts';
import { maskConnectionSecrets } from '../config/connection-string.ts';
import { CalltroveError } from '../errors.ts';
import { GraphParseError } from '../graph/parse.ts';
import { registerCommands } from './commands/index.ts';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('calltrove')
    .description(
      'Collect Microsoft Teams call records from Microsoft Graph and analyse call quality, self-hosted.',
    )
    .option(
      '--db <url>',
      'SQLite file path or postgres:// URL (default ./data/calltrove.db, or CALLTROVE_DATABASE_URL)',
    )
    .option('--config <file>', 'JSON configuration file (or CALLTROVE_CONFIG)')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program, env);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

/** The one place the CLI turns an error into a message and an exit code; no connection password gets out. */
function reportError(err: unknown): number {
  const write = (text: string) => process.stderr.write(maskConnectionSecrets(text));
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof ConfigError || err instanceof GraphParseError) {
    write(`calltrove: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CalltroveError) {
    write(`calltrove: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}\n`);
    return err.code === 'config' || err.code === 'bad_request' ? 2 : 1;
  }
  write(`calltrove: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}
