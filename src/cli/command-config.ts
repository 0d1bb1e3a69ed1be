// What every command needs: the validated config from the global --db/--config flags and the environment.
import type { Command } from 'commander';
import { type Config, type ConfigInput, loadConfig } from '../config/config.ts';

/** Loads the config once per command from the program's global --db/--config flags and the environment. */
export function commandConfig(cmd: Command, env: NodeJS.ProcessEnv, overrides: ConfigInput = {}): Config {
  const globals = cmd.optsWithGlobals<{ db?: string; config?: string }>();
  return loadConfig({
    env,
    file: globals.config,
    overrides: { ...(globals.db ? { databaseUrl: globals.db } : {}), ...overrides },
  });
}
