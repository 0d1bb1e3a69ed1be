// The command list: --help's summaries match what each command registers, a typo names the closest command.
import { Command } from 'commander';
import { expect, it } from 'vitest';
import { usageExitCode } from '../exit-codes.ts';
import { runCli } from '../test-cli.ts';
import { closestCommand, commands } from './index.ts';

it('each listed summary is the description its module registers, and the module registers that command', async () => {
  for (const entry of commands) {
    const program = new Command('calltrove');
    for (const register of await entry.load()) register(program, {});
    const registered = program.commands.find((c) => c.name() === entry.name);
    expect(registered, entry.name).toBeDefined();
    const summary = entry.summary.replace(/; tables: see calltrove export --help$/, '');
    expect(registered?.description().startsWith(summary), entry.name).toBe(true);
  }
});

it('--help lists every command; --version prints the package version', async () => {
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
  for (const { name } of commands) expect(help.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  const version = await runCli(['--version']);
  expect(version.code).toBe(0);
  expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
});

it('an unknown command is one line naming the closest command, with the usage exit code', async () => {
  const run = await runCli(['--db', 'x.db', 'imprt', 'a.json']);
  expect(run.code).toBe(usageExitCode);
  expect(run.err.trim().split('\n')).toEqual([
    "calltrove: unknown command 'imprt' (did you mean 'import'?); calltrove --help lists the commands",
  ]);
  expect(closestCommand('stauts')).toBe('status');
  expect(closestCommand('zzzzzzzzzz')).toBeUndefined();
});

it('help <command> shows that command in full', async () => {
  const run = await runCli(['help', 'import']);
  expect(run.out).toContain('Usage: calltrove import [options] <path...>');
});
