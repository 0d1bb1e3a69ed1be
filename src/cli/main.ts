// The `calltrove` command line: parses arguments and hands each command to its module under commands/.
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { maskConnectionSecrets } from '../config/connection-string.ts';
import { CalltroveError } from '../errors.ts';
import { closestCommand, commands, registerCommands } from './commands/index.ts';
import { exitCodeOf, usageExitCode } from './exit-codes.ts';
import { isStopRequested } from './lifecycle.ts';

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
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  const name = commandName(argv);
  if (name !== undefined && name !== 'help' && !commands.some((c) => c.name === name)) {
    const closest = closestCommand(name);
    process.stderr.write(
      `calltrove: unknown command '${name}'${closest ? ` (did you mean '${closest}'?)` : ''}; calltrove --help lists the commands\n`,
    );
    return usageExitCode;
  }
  // `help <command>` shows that command's own help, so it loads that command.
  await registerCommands(
    program,
    env,
    name === 'help' ? commandName(argv.slice(argv.indexOf('help') + 1)) : name,
  );
  try {
    // A command that finishes has succeeded; every other outcome is an error of the family, thrown.
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

/** The package's version; package.json is two levels up from src/cli and from dist/cli alike. */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** The first argument that is not a global option or its value: the command asked for. */
function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--db' || arg === '--config') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * The one place the CLI turns an error into a message and an exit code (src/cli/exit-codes.ts, documented in
 * docs/exit-codes.md); no connection password gets out.
 */
function reportError(err: unknown): number {
  const write = (text: string) => process.stderr.write(maskConnectionSecrets(text));
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with Commander's 0.
    return err.exitCode === 0 ? 0 : usageExitCode;
  }
  if (isStopRequested(err)) {
    write(`calltrove: ${err.message} before the work was done; run the command again to finish it\n`);
    return exitCodeOf.interrupted;
  }
  if (err instanceof CalltroveError) {
    write(`calltrove: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}\n`);
    return exitCodeOf[err.kind];
  }
  write(`calltrove: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return exitCodeOf.internal;
}
