// Alerts from the program as it ships: `calltrove alerts check` as a child process (exit codes, output without
// secrets) and `calltrove serve` evaluating on its own timer and delivering to a real receiver, stopped by SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startReceiver, type TestReceiver } from './test-receiver.ts';
import { type AlertTestDir, alertTestDir } from './test-setup.ts';

const bin = fileURLToPath(new URL('../../bin/calltrove.js', import.meta.url));
const secret = 'process-secret-0123456789';

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CALLTROVE_')));
}

function calltrove(args: string[]): {
  exited: Promise<{ code: number | null; out: string; err: string }>;
  kill(): void;
} {
  const child = spawn(process.execPath, [bin, ...args], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  child.stderr.on('data', (d) => {
    err += String(d);
  });
  return {
    exited: new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err }))),
    kill: () => child.kill('SIGTERM'),
  };
}

describe('alerts as processes', () => {
  let t: AlertTestDir;
  let receiver: TestReceiver;
  beforeEach(async () => {
    t = await alertTestDir();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    t.dispose();
  });

  it('alerts check exits 1 while the receiver is down and 0 once it delivered; the output holds no secret', {
    timeout: 60_000,
  }, async () => {
    // The quality rule's two alerts only (organization and Beta); causes.process.test.ts covers the cause rule.
    t.writeConfig({
      channels: [{ name: 'oncall', type: 'webhook', url: receiver.url, secret }],
      rules: [{ id: 'poor-audio-cause', enabled: false }],
    });
    await receiver.down();
    const args = ['--config', t.configFile, 'alerts', 'check', '--now', '2026-01-15T12:30:00Z'];
    const down = await calltrove(args).exited;
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/2 to retry/);
    expect(down.out + down.err).not.toMatch(/secret-path-token|process-secret/);
    await receiver.up();
    const up = await calltrove(args).exited;
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/delivered 2 message/);
    expect(receiver.delivered()).toHaveLength(2);
  });

  it('serve evaluates on its schedule, delivers each alert once, and stops on SIGTERM', {
    timeout: 60_000,
  }, async () => {
    // The data is at a fixed time in the past: a window of a few days covers it from today.
    t.writeConfig({
      evaluateEvery: '2s',
      channels: [{ name: 'oncall', type: 'webhook', url: receiver.url }],
      rules: [{ id: 'audio-poor-rate', window: '3650d' }],
    });
    const serve = calltrove(['--config', t.configFile, 'serve', '--port', '0']);
    try {
      await vi.waitFor(() => expect(receiver.delivered().length).toBe(2), { timeout: 30_000, interval: 200 });
      // Several more evaluations pass: nothing is sent again.
      await new Promise((r) => setTimeout(r, 5_000));
      expect(receiver.received).toHaveLength(2);
    } finally {
      serve.kill();
    }
    const end = await serve.exited;
    expect(end.code).toBe(0);
    expect(end.err).toBe('');
  });
});
