// Test support: runs the CLI in-process through main(), capturing what it writes to stdout and stderr.
import { vi } from 'vitest';
import { main } from './main.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    // A command that failed sets process.exitCode; the next one starts clean (and vitest's own exit stays 0).
    process.exitCode = undefined;
    const code = await main([...args], env);
    return { code, out, err };
  } finally {
    process.exitCode = undefined;
    o.mockRestore();
    e.mockRestore();
  }
}
