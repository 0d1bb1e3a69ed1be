// `calltrove alerts check` against a real local receiver: firing alerts that name the bad building, nothing new on a
// second run, a receiver that is down at the first check gets each alert exactly once at the second.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../alerts/evaluate.ts';
import { startReceiver, type TestReceiver } from '../../alerts/test-receiver.ts';
import { type AlertTestDir, alertTestDir, testNow } from '../../alerts/test-setup.ts';
import { loadConfig } from '../../config/config.ts';
import { silentLogger } from '../../config/logger.ts';
import { runCli } from '../test-cli.ts';

const secret = 'hook-secret-0123456789abcdef';
const at = new Date(testNow).toISOString();

interface Payload {
  id: string;
  state: string;
  rule: string;
  key: string;
  title: string;
  severity: string;
  scope: { key: string; label: string };
  value: number;
  threshold: number;
  since: string;
  explanation: string;
  url: string;
}

describe('calltrove alerts check', () => {
  let t: AlertTestDir;
  let receiver: TestReceiver;
  beforeEach(async () => {
    t = await alertTestDir();
    receiver = await startReceiver();
    t.writeConfig({
      channels: [{ name: 'oncall', type: 'webhook', url: receiver.url, secret }],
      dashboardUrl: 'https://calltrove.example.com',
      // The quality rule's alerts only; the cause rule has its own tests (src/alerts/causes.process.test.ts).
      rules: [{ id: 'poor-audio-cause', enabled: false }],
    });
  });
  afterEach(async () => {
    await receiver.close();
    t.dispose();
  });
  const check = () => runCli(['--config', t.configFile, 'alerts', 'check', '--now', at]);

  it('delivers signed firing alerts naming the bad building and the organization, then nothing new', async () => {
    const first = await check();
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const got = receiver.delivered<Payload>();
    const keys = got.map((p) => p.key).sort();
    expect(keys).toEqual(['audio-poor-rate/building:Beta', 'audio-poor-rate/organization']);
    const beta = got.find((p) => p.scope.key === 'building:Beta') as Payload;
    expect(beta).toMatchObject({
      state: 'firing',
      rule: 'audio-poor-rate',
      severity: 'warning',
      threshold: 3,
    });
    expect(beta.title).toContain('Beta');
    expect(beta.value).toBeGreaterThan(50);
    expect(beta.since).toBe(at);
    expect(beta.url).toBe('https://calltrove.example.com/#/locations');
    expect(beta.explanation).toMatch(/of \d+ classified audio streams in Beta were poor/);
    // The good building is measured and clear: no alert for it.
    expect(got.some((p) => p.scope.label === 'Alpha')).toBe(false);
    for (const r of receiver.received) {
      const expected = `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
      expect(r.headers['x-calltrove-signature-256']).toBe(expected);
      expect(r.headers['x-calltrove-delivery']).toBe((JSON.parse(r.body) as Payload).id);
    }
    expect(first.out).toMatch(/2 fired/);
    expect(first.out).toMatch(/delivered 2 message/);

    const second = await check();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/0 fired, 0 updated, 0 resolved/);
    expect(receiver.received).toHaveLength(2);
  });

  it('keeps what a down receiver missed and delivers each alert exactly once when it is back', async () => {
    await receiver.down();
    const first = await check();
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/delivered 0 message\(s\), 2 to retry/);
    // The error names the receiver's host, never its path (a URL's path and query may be its secret).
    expect(first.out).toContain('127.0.0.1');
    expect(first.out).not.toContain('secret-path-token');
    expect(first.out + first.err).not.toContain(secret);

    await receiver.up();
    const second = await check();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/0 fired/);
    expect(second.out).toMatch(/delivered 2 message/);
    const third = await check();
    expect(third.out).toMatch(/delivered 0 message/);
    expect(
      receiver
        .delivered<Payload>()
        .map((p) => p.key)
        .sort(),
    ).toEqual(['audio-poor-rate/building:Beta', 'audio-poor-rate/organization']);
    expect(receiver.received).toHaveLength(2);
  });

  it('delivers after a restart what an evaluation stored but never sent (the process died in between)', async () => {
    // The first process evaluated and committed its alerts, then died before delivering anything.
    const store = await t.open();
    const config = loadConfig({ file: t.configFile });
    const evaluated = await evaluateAlerts({ store, config, now: testNow, logger: silentLogger });
    await store.close();
    expect(evaluated.changes.filter((c) => c.change === 'fired')).toHaveLength(2);
    expect(receiver.received).toHaveLength(0);

    const next = await check();
    expect(next.out).toMatch(/0 fired/);
    expect(next.out).toMatch(/delivered 2 message/);
    expect(receiver.delivered()).toHaveLength(2);
  });

  it('lists the firing alerts, acknowledges and mutes them, and tests the channel', async () => {
    await check();
    const list = await runCli(['--config', t.configFile, 'alerts', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/firing\s+warning\s+audio-poor-rate/);
    const id = /^(\d+)\s+firing/m.exec(list.out)?.[1];
    expect(id).toBeDefined();
    const ack = await runCli(['--config', t.configFile, 'alerts', 'ack', String(id)]);
    expect(ack.out).toMatch(new RegExp(`acknowledged alert ${id}`));
    const mute = await runCli(['--config', t.configFile, 'alerts', 'mute', 'audio-poor-rate', '--for', '2h']);
    expect(mute.out).toMatch(/muted audio-poor-rate \(every scope\) until/);
    const after = await runCli(['--config', t.configFile, 'alerts', 'list']);
    expect(after.out).toMatch(/firing \(ack\)/);
    expect(after.out).toMatch(/muted: audio-poor-rate until/);
    const bad = await runCli(['--config', t.configFile, 'alerts', 'mute', 'no-such-rule', '--for', '2h']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no rule "no-such-rule"/);

    const test = await runCli(['--config', t.configFile, 'alerts', 'test', 'oncall']);
    expect(test.code).toBe(0);
    expect(test.out).toMatch(/reached oncall \(webhook, http:\/\/127\.0\.0\.1:\d+\/…\)/);
    expect(receiver.delivered<Payload>().at(-1)).toMatchObject({ rule: 'test', state: 'firing' });
    const missing = await runCli(['--config', t.configFile, 'alerts', 'test', 'nope']);
    expect(missing.err).toMatch(/no alert channel named "nope"/);
  });
});
