// The cause rule as the program ships: a data dir filled through the CLI (buildings, call records, then the
// access-point file, which rebuilds the rollups), `calltrove alerts check` as a child process delivering to a
// real receiver. A bad access point and a bad home ISP are named by the AP file's name and the registered domain.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../bin/ensure-built.js';
import { alertTestCalls, type TestPlace, testBuildingsFile } from './test-calls.ts';
import { startReceiver, type TestReceiver } from './test-receiver.ts';

const bin = fileURLToPath(new URL('../../bin/calltrove.js', import.meta.url));
const secret = 'cause-hook-secret-0123456789';
const dashboard = 'https://calltrove.example.com';
// Half past the last hour before the wall clock: the records' IP addresses and BSSIDs must be younger than the
// EUII retention (28 days) when they are imported, or the store drops them and no access point can be named.
const HOUR = 3_600_000;
const now = Math.floor((Date.now() - HOUR / 2) / HOUR) * HOUR + HOUR / 2;
const at = new Date(now).toISOString();

// Office: wired Alpha, Beta's Wi-Fi with a good and a bad access point on one subnet (so the subnet is no
// better an answer than the AP). Home: a good ISP and a bad one whose clients sit on two home subnets under
// two DNS suffixes of one registered domain, one subnet shared with the good ISP's clients.
const bssidBad = '00:1A:2B:3C:4D:07';
const bssidGood = '00:1A:2B:3C:4D:01';
const places: TestPlace[] = [
  { name: 'Alpha wired', subnet: '10.1.0.0', connectionType: 'wired', weight: 3 },
  { name: 'Beta AP01', subnet: '10.1.2.0', connectionType: 'wifi', bssid: bssidGood, weight: 2 },
  { name: 'Beta AP07', subnet: '10.1.2.0', connectionType: 'wifi', bssid: bssidBad, bad: true, weight: 1 },
  {
    name: 'Telekom home',
    subnet: '192.168.1.0',
    connectionType: 'wifi',
    dnsSuffix: 'dip0.t-ipconnect.de',
    weight: 2,
  },
  {
    name: 'Comcast WA',
    subnet: '192.168.1.0',
    connectionType: 'wifi',
    dnsSuffix: 'hsd1.wa.comcast.net',
    bad: true,
    weight: 0.5,
  },
  {
    name: 'Comcast CA',
    subnet: '10.0.0.0',
    connectionType: 'wifi',
    dnsSuffix: 'hsd1.ca.comcast.net',
    bad: true,
    weight: 0.5,
  },
];
// The AP file names the BSSIDs in another spelling than Graph reports them (dashes, lower case).
const accessPointsFile = [
  'BSSID,APName,BuildingName,Floor',
  `${bssidGood.toLowerCase().replace(/:/g, '-')},BETA-1F-AP01,Beta,1`,
  `${bssidBad.toLowerCase().replace(/:/g, '-')},BETA-2F-AP07,Beta,2`,
].join('\n');

interface Payload {
  id: string;
  state: string;
  rule: string;
  key: string;
  title: string;
  scope: { key: string; label: string };
  value: number;
  threshold: number;
  since: string;
  explanation: string;
  url: string;
}

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CALLTROVE_')));
}

function calltrove(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
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
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

/** A data dir filled the way an admin fills one: buildings, records, then the access-point file. */
async function causeDataDir(receiverUrl: string): Promise<{ dir: string; config: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-causes-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      databaseUrl: join(dir, 'calltrove.db'),
      logLevel: 'silent',
      alerts: {
        dashboardUrl: dashboard,
        channels: [{ name: 'oncall', type: 'webhook', url: receiverUrl, secret }],
      },
    }),
  );
  const records = alertTestCalls({ seed: 5, places, start: now - 5 * HOUR, hours: 4, calls: 400 });
  writeFileSync(join(dir, 'buildings.csv'), testBuildingsFile);
  writeFileSync(join(dir, 'records.ndjson'), records.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(join(dir, 'access-points.csv'), accessPointsFile);
  const steps: [string[], RegExp][] = [
    [['buildings', 'import', join(dir, 'buildings.csv')], /imported 2 network row/],
    [['import', '--tenant', 'tenant-1', join(dir, 'records.ndjson')], /imported 400 \(new 400/],
    // Imported after the records: the rebuilt rollups name the access points of calls already stored.
    [
      ['access-points', 'import', join(dir, 'access-points.csv')],
      /; [1-9]\d* stream\(s\) now name their access point/,
    ],
  ];
  for (const [args, says] of steps) {
    const r = await calltrove(['--config', config, ...args]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(says);
  }
  return { dir, config };
}

const causeAlerts = (r: TestReceiver) =>
  r.delivered<Payload>().filter((p) => p.rule === 'poor-audio-cause' && p.state === 'firing');

describe('cause alerts as processes', () => {
  // Built before the first child runs, so no child's stderr carries the build's progress.
  beforeAll(() => {
    ensureBuilt({ only: ['cli'] });
  }, 300_000);
  let receiver: TestReceiver;
  let data: { dir: string; config: string };
  beforeEach(async () => {
    receiver = await startReceiver();
    data = await causeDataDir(receiver.url);
  }, 120_000);
  afterEach(async () => {
    await receiver.close();
    rmSync(data.dir, { recursive: true, force: true });
  });
  const check = () => calltrove(['--config', data.config, 'alerts', 'check', '--now', at]);

  it('alerts check delivers signed firing alerts naming the access point and the ISP, then nothing new', {
    timeout: 120_000,
  }, async () => {
    const first = await check();
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const causes = causeAlerts(receiver);
    const ap = causes.find((p) => p.scope.key === 'cause:access-point=BETA-2F-AP07');
    const isp = causes.find((p) => p.scope.key === 'cause:isp=comcast.net');
    expect(ap).toBeDefined();
    expect(isp).toBeDefined();
    // Named the way the admin knows them: the AP file's name (never the BSSID), the provider's domain.
    expect(ap?.title).toContain('BETA-2F-AP07');
    expect(ap?.scope.label).toBe('access point BETA-2F-AP07');
    expect(isp?.title).toContain('comcast.net');
    expect(isp?.scope.label).toBe('ISP comcast.net');
    for (const p of [ap, isp] as Payload[]) {
      expect(p.since).toBe(at);
      expect(p.value).toBeGreaterThanOrEqual(p.threshold);
      expect(p.explanation).toMatch(/^\d+ of its \d+ audio streams were poor/);
      expect(p.explanation).toMatch(/jitter|packet loss/);
    }
    // Only they: not the good AP, ISP or wired subnet, nor the subnets they explain (the bad AP's subnet, whose
    // other AP is good; the home subnets of the ISP's clients). Nothing names a BSSID.
    expect(causes.map((p) => p.scope.key).sort()).toEqual([
      'cause:access-point=BETA-2F-AP07',
      'cause:isp=comcast.net',
    ]);
    const bodies = receiver.received.map((r) => r.body).join('\n');
    expect(bodies.toLowerCase()).not.toMatch(/00[:-]1a[:-]2b/);
    // Links open the dashboard's explore view of the cause's dimension over the alert's window.
    const link = new URL(ap?.url ?? '');
    expect(`${link.origin}${link.pathname}`).toBe(`${dashboard}/`);
    const route = new URLSearchParams(link.hash.replace(/^#\/explore\?/, ''));
    expect(link.hash).toMatch(/^#\/explore\?/);
    expect(route.get('by')).toBe('access-point');
    expect(route.get('media-type')).toBe('audio');
    expect(route.get('until')).toBe(at);
    expect(new URL(isp?.url ?? '').hash).toMatch(/^#\/explore\?(.*&)?by=isp(&|$)/);
    for (const r of receiver.received) {
      expect(r.headers['x-calltrove-signature-256']).toBe(
        `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`,
      );
      expect(r.headers['x-calltrove-delivery']).toBe((JSON.parse(r.body) as Payload).id);
    }
    const sent = receiver.received.length;
    expect(first.out).toMatch(new RegExp(`delivered ${sent} message`));

    const second = await check();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/0 fired, 0 updated, 0 resolved/);
    expect(second.out).toMatch(/delivered 0 message/);
    expect(receiver.received).toHaveLength(sent);
  });

  it('a receiver down at the first check gets each alert exactly once at the second', {
    timeout: 120_000,
  }, async () => {
    await receiver.down();
    const first = await check();
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/delivered 0 message\(s\), \d+ to retry/);
    expect(first.out + first.err).not.toMatch(/secret-path-token|cause-hook-secret/);
    const missed = Number(/(\d+) to retry/.exec(first.out)?.[1]);

    await receiver.up();
    const second = await check();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/0 fired/);
    expect(second.out).toMatch(new RegExp(`delivered ${missed} message`));
    const third = await check();
    expect(third.code).toBe(0);
    expect(third.out).toMatch(/delivered 0 message/);

    const got = receiver.delivered<Payload>();
    expect(got).toHaveLength(missed);
    expect(receiver.received).toHaveLength(missed);
    // Each alert once: no key twice, and the two causes among them.
    const keys = got.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'poor-audio-cause/cause:access-point=BETA-2F-AP07',
        'poor-audio-cause/cause:isp=comcast.net',
      ]),
    );
  });
});
