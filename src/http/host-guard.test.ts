// Host and Origin checks: which names a listener answers to, and what a foreign page's request gets.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { configuredHosts, createHostPolicy, hostGuard, hostnameOf, originGuard } from './host-guard.ts';

function guarded(policy = createHostPolicy({ bindHost: '127.0.0.1' })) {
  const app = new Hono();
  app.use('*', hostGuard(policy));
  app.use('*', originGuard(policy));
  app.all('*', (c) => c.text('the data'));
  return (host: string | undefined, init: RequestInit & { origin?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (host !== undefined) headers.set('host', host);
    if (init.origin !== undefined) headers.set('origin', init.origin);
    return app.fetch(new Request('http://127.0.0.1:3000/api/v1/calls', { ...init, headers }));
  };
}

describe('hostnameOf', () => {
  it('reads names, ports, IPv6 literals and a trailing dot', () => {
    expect(hostnameOf('LocalHost:3000')).toBe('localhost');
    expect(hostnameOf('localhost.')).toBe('localhost');
    expect(hostnameOf('[::1]:3000')).toBe('::1');
    expect(hostnameOf('[::1]')).toBe('::1');
    expect(hostnameOf('::1')).toBe('::1');
    expect(hostnameOf('127.0.0.1:65535')).toBe('127.0.0.1');
  });
  it('refuses what is not a host', () => {
    for (const bad of [
      '',
      'a b',
      'evil.example/x',
      'user@evil.example',
      '[::1]x',
      'a:b:c:x',
      '[evil.example]',
      'h:123456',
    ])
      expect(hostnameOf(bad), bad).toBeUndefined();
  });
});

describe('host policy', () => {
  it('answers the loopback names on any port and nothing else by default', () => {
    const p = createHostPolicy({ bindHost: '127.0.0.1' });
    for (const ok of ['127.0.0.1', '127.0.0.1:3000', 'localhost:1', 'LOCALHOST', '[::1]:3000'])
      expect(p.allowsHost(ok), ok).toBe(true);
    for (const bad of [
      'attacker.example',
      'attacker.example:3000',
      '127.0.0.1.nip.io',
      '10.0.0.1',
      undefined,
    ])
      expect(p.allowsHost(bad), String(bad)).toBe(false);
  });

  it('adds a specific bind address, configured names and the webhook URL host', () => {
    const hosts = configuredHosts({
      api: { allowedHosts: ['calltrove.corp', 'Dash.Example:8443'] },
      notificationUrl: 'https://hooks.example.com/api/notifications',
    });
    const p = createHostPolicy({ bindHost: '10.1.2.3', allowedHosts: hosts });
    for (const ok of ['10.1.2.3:3000', 'calltrove.corp', 'dash.example:3000', 'hooks.example.com'])
      expect(p.allowsHost(ok), ok).toBe(true);
    expect(p.allowsHost('example.com')).toBe(false);
    expect(p.allowsHost('evil.calltrove.corp')).toBe(false);
  });

  it('answers the machine’s own addresses when bound to every interface', () => {
    const p = createHostPolicy({ bindHost: '0.0.0.0' });
    // Loopback is always one of them; a made-up documentation address never is.
    expect(p.allowsHost('127.0.0.1:4700')).toBe(true);
    expect(p.allowsHost('203.0.113.77:4700')).toBe(false);
    expect(p.names.has('0.0.0.0')).toBe(false);
  });

  it('reads origins as scheme://host[:port] only', () => {
    const p = createHostPolicy({});
    expect(p.allowsOrigin('http://127.0.0.1:3000')).toBe(true);
    expect(p.allowsOrigin('https://localhost')).toBe(true);
    for (const bad of [
      'null',
      'http://attacker.example',
      'file://',
      'http://127.0.0.1:3000/x',
      'ftp://localhost',
    ])
      expect(p.allowsOrigin(bad), bad).toBe(false);
  });
});

describe('guards', () => {
  it('refuses a foreign Host with 421 and no data, and answers a loopback one', async () => {
    const send = guarded();
    const foreign = await send('attacker.example');
    expect(foreign.status).toBe(421);
    expect(await foreign.text()).not.toContain('the data');
    expect((await send('127.0.0.1:3000')).status).toBe(200);
    expect((await send('localhost:3000')).status).toBe(200);
    // An in-process request without a header is judged by its URL's host.
    expect((await send(undefined)).status).toBe(200);
  });

  it('refuses a state-changing request from a foreign origin, and only that', async () => {
    const send = guarded();
    const post = (origin?: string) => send('127.0.0.1:3000', { method: 'POST', body: '{}', origin });
    expect((await post('http://attacker.example')).status).toBe(403);
    expect((await post('null')).status).toBe(403);
    expect((await post('http://127.0.0.1:3000')).status).toBe(200);
    expect((await post(undefined)).status).toBe(200);
    // Reading is not changing: the browser's same-origin policy keeps a foreign page from reading the answer.
    expect((await send('127.0.0.1:3000', { origin: 'http://attacker.example' })).status).toBe(200);
    expect(
      (await send('127.0.0.1:3000', { method: 'DELETE', origin: 'https://attacker.example' })).status,
    ).toBe(403);
  });
});
