// DNS rebinding against the program as it ships: `calltrove serve`, `collect` and `demo` as child processes, sent
// raw HTTP requests naming a foreign Host (what a rebinding page's requests carry) and a loopback one.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.ts';
import { rawRequest } from '../http/test-raw-http.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { sample } from '../ingest/test-samples.ts';
import { openStore } from '../store/store.ts';
import { createTwin, type TwinListener } from '../twin/twin.ts';

const bin = fileURLToPath(new URL('../../bin/calltrove.js', import.meta.url));
const foreign = [
  'attacker.example',
  'attacker.example:3000',
  '127.0.0.1.attacker.example',
  'evil.localhost.example',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The environment without any CALLTROVE_* of the developer's shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CALLTROVE_')));
}

interface Child {
  child: ChildProcess;
  /** Resolves with the first stdout match of `pattern` (or rejects when the process exits first). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

function run(args: string[]): Child {
  const child = spawn(process.execPath, [bin, ...args], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            child.stdout?.off('data', check);
            resolve(m);
          }
        };
        child.stdout?.on('data', check);
        check();
        void exited.then(() => reject(new Error(`calltrove ${args[0]} exited: ${err || out}`)));
      }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A sender that drips a byte every 200 ms and never finishes (the headers, or a body shorter than its
 * Content-Length); resolves with what the server wrote once it closed the connection.
 */
function slowDrip(port: number, head: string, drip: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip[i++ % drip.length]);
    }, 200);
    socket.on('data', (d) => {
      answer += String(d);
    });
    socket.once('error', (err) => {
      clearInterval(timer);
      if (
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' ||
        (err as NodeJS.ErrnoException).code === 'EPIPE'
      )
        resolve(answer);
      else reject(err);
    });
    socket.once('close', () => {
      clearInterval(timer);
      resolve(answer);
    });
    socket.write(head);
  });
}

async function expectRefused(port: number, path: string, secret: string): Promise<void> {
  for (const host of foreign) {
    const res = await rawRequest(port, { path, host });
    expect(res.status, `${host} ${path}`).toBe(421);
    expect(res.body, host).not.toContain(secret);
  }
}

describe('listeners refuse a foreign Host (child processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-hosts-'));
  const children: Child[] = [];
  const recordId = String(sample('v1.0_callRecord_get_expand_sessions_segments.response.json').id);
  let twin: ReturnType<typeof createTwin>;
  let listener: TwinListener;

  beforeAll(async () => {
    const store = await openStore(join(dir, 'serve.db'));
    await ingestRecord(store, sample('v1.0_callRecord_get_expand_sessions_segments.response.json'), {
      source: 'sample',
      receivedAt: 0,
    });
    await store.close();
    twin = createTwin({ seed: 5, users: 8, days: 1, clock: new SystemClock() });
    listener = await twin.listen({ port: 0, certOut: join(dir, 'twin.pem') });
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    twin?.stop();
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve: the API and the dashboard answer only loopback names', { timeout: 120_000 }, async () => {
    const serve = run(['serve', '--port', '0', '--db', join(dir, 'serve.db')]);
    children.push(serve);
    const port = Number((await serve.waitFor(/serving http:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    await expectRefused(port, '/api/v1/calls', recordId);
    await expectRefused(port, `/api/v1/calls/${recordId}`, recordId);
    await expectRefused(port, '/', '<script');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, '127.0.0.1']) {
      const ok = await rawRequest(port, { path: '/api/v1/calls', host });
      expect(ok.status, host).toBe(200);
      expect(ok.body, host).toContain(recordId);
    }
    // A state-changing request from a foreign page is refused even with the right Host.
    const post = await rawRequest(port, {
      method: 'POST',
      path: '/api/v1/calls',
      host: `127.0.0.1:${port}`,
      headers: { Origin: 'http://attacker.example' },
      body: '{}',
    });
    expect(post.status).toBe(403);
  });

  it('collect: /metrics, health and the webhook answer loopback names only, slow senders are cut off', {
    timeout: 150_000,
  }, async () => {
    const port = await freePort();
    const configFile = join(dir, 'collect.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        ...twin.credentials,
        graphUrl: listener.graphUrl,
        authorityUrl: listener.url,
        caFile: join(dir, 'twin.pem'),
        notificationUrl: `http://127.0.0.1:${port}/api/notifications`,
        listen: `127.0.0.1:${port}`,
        databaseUrl: join(dir, 'collect.db'),
        logLevel: 'error',
      }),
    );
    const collect = run(['collect', '--config', configFile]);
    children.push(collect);
    for (let i = 0; i < 600; i++) {
      const up = await rawRequest(port, { path: '/api/v1/health', host: `127.0.0.1:${port}` }).catch(
        () => null,
      );
      if (up && up.status !== 421) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const metrics = await rawRequest(port, { path: '/metrics', host: `localhost:${port}` });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('calltrove_');
    await expectRefused(port, '/metrics', 'calltrove_');
    await expectRefused(port, '/api/v1/health', 'subscription');
    await expectRefused(port, '/api/notifications?validationToken=echo-me', 'echo-me');

    // Slow drips are cut off after a few seconds (Node's defaults hold them 60 s for headers, 300 s for a body);
    // this test's own timeout is far below those defaults, and the answer is Node's 408.
    const host = `Host: 127.0.0.1:${port}\r\n`;
    let started = Date.now();
    const headers = await slowDrip(
      port,
      `POST /api/notifications HTTP/1.1\r\n${host}`,
      'X-Slow: aaaaaaaa\r\n',
    );
    expect(headers).toMatch(/^HTTP\/1\.1 408/);
    // Loose bounds, far from both sides: the limits are 5 s and 10 s, Node's defaults 60 s and 300 s.
    expect(Date.now() - started).toBeLessThan(40_000);
    started = Date.now();
    const body = await slowDrip(
      port,
      `POST /api/notifications HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"value": [`,
      ' ',
    );
    expect(body === '' || /^HTTP\/1\.1 (408|400)/.test(body), body).toBe(true);
    expect(Date.now() - started).toBeLessThan(40_000);
    // The listener still answers everyone else.
    const after = await rawRequest(port, { path: '/metrics', host: `127.0.0.1:${port}` });
    expect(after.status).toBe(200);
    expect(after.body).toMatch(/calltrove_notifications_rejected_total\{reason="cut_off"\} 1/);
    expect(after.headers['x-content-type-options']).toBe('nosniff');
  });

  it('demo: the dashboard answers only loopback names', { timeout: 180_000 }, async () => {
    const demo = run(['demo', '--data-dir', join(dir, 'demo'), '--port', '0', '--users', '4', '--days', '1']);
    children.push(demo);
    const port = Number((await demo.waitFor(/dashboard\s+http:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    await expectRefused(port, '/api/v1/calls', '"calls"');
    await expectRefused(port, '/api/v1/overview', '"calls"');
    await expectRefused(port, '/', '<script');
    const ok = await rawRequest(port, { path: '/api/v1/calls', host: `127.0.0.1:${port}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('"calls"');
  });
});
