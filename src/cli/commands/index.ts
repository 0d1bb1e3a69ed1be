// Every subcommand, registered in one list so `calltrove --help` shows them all.
import type { Command } from 'commander';
import { registerCall } from './call.ts';
import { registerCalls } from './calls.ts';
import { registerImport } from './import.ts';
import { registerReprocess } from './reprocess.ts';
import { registerServe } from './serve.ts';

export type Register = (program: Command, env: NodeJS.ProcessEnv) => void;

const registers: Register[] = [registerImport, registerCalls, registerCall, registerReprocess, registerServe];

export function registerCommands(program: Command, env: NodeJS.ProcessEnv): void {
  for (const register of registers) register(program, env);
}
