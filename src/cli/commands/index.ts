// Every subcommand, registered in one list so `calltrove --help` shows them all.
import type { Command } from 'commander';

export type Register = (program: Command, env: NodeJS.ProcessEnv) => void;

const registers: Register[] = [];

export function registerCommands(program: Command, env: NodeJS.ProcessEnv): void {
  for (const register of registers) register(program, env);
}
