// Token provider: msal-node against a fake authority; tokens reused until near expiry; wrong secret says what to fix.
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { CalltroveError } from '../errors.ts';
import { fakeAuthority } from './test-fakes.ts';
import { createTokenProvider, describeAuthFailure, readCertificateCredential } from './token-provider.ts';

const endpoints = { authorityUrl: 'https://127.0.0.1:4443', graphUrl: 'https://127.0.0.1:4443/v1.0' };

describe('token provider', () => {
  it('reuses a token until shortly before it expires', async () => {
    const clock = new ManualClock();
    const authority = fakeAuthority('right-secret', 3600);
    const tokens = createTokenProvider({
      ...endpoints,
      tenantId: 't1',
      clientId: 'c1',
      clientSecret: 'right-secret',
      fetch: authority.fetch,
      clock,
    });
    const [a, b] = await Promise.all([tokens.getToken(), tokens.getToken()]);
    expect(a).toBe('token-1');
    expect(b).toBe('token-1');
    await clock.advance(50 * 60_000);
    expect(await tokens.getToken()).toBe('token-1');
    await clock.advance(6 * 60_000);
    expect(await tokens.getToken()).toBe('token-2');
    expect(await tokens.getToken({ forceRefresh: true })).toBe('token-3');
    expect(tokens.acquired).toBe(3);
    expect(authority.tokensIssued).toBe(3);
  });

  it('turns a wrong secret into a config error naming the setting, never the secret', async () => {
    const authority = fakeAuthority('right-secret');
    const tokens = createTokenProvider({
      ...endpoints,
      tenantId: 't1',
      clientId: 'c1',
      clientSecret: 'wrong-secret-value',
      fetch: authority.fetch,
      clock: new ManualClock(),
    });
    const err = await tokens.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalltroveError);
    const e = err as CalltroveError;
    expect(e.code).toBe('config');
    expect(`${e.message} ${e.hint}`).toContain('CALLTROVE_CLIENT_SECRET');
    expect(`${e.message} ${e.hint} ${String(e.cause ?? '')}`).not.toContain('wrong-secret-value');
  });

  it('names the client id when the app is unknown, and the authority on network failures', () => {
    expect(
      describeAuthFailure({ errorCode: 'unauthorized_client', errorMessage: 'AADSTS700016: x' }, false).hint,
    ).toContain('CALLTROVE_CLIENT_ID');
    const net = describeAuthFailure(new Error('connect ECONNREFUSED'), false);
    expect(net.code).toBe('unavailable');
    expect(net.hint).toContain('CALLTROVE_AUTHORITY_URL');
  });

  it('requires a credential', () => {
    expect(() =>
      createTokenProvider({
        ...endpoints,
        tenantId: 't',
        clientId: 'c',
        fetch: fakeAuthority().fetch,
        clock: new ManualClock(),
      }),
    ).toThrow(/client credential/);
  });

  it('reads a certificate credential: SHA-256 thumbprint and PKCS#8 key', async () => {
    const { default: selfsigned } = await import('selfsigned');
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'calltrove' }], { keySize: 2048 });
    const cred = readCertificateCredential(`${pems.cert}\n${pems.private}`);
    expect(cred.thumbprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cred.privateKey).toContain('BEGIN PRIVATE KEY');
    // The assertion msal-node signs carries the certificate itself (x5c), as base64 DER.
    let assertion = '';
    const authority = fakeAuthority();
    const tokens = createTokenProvider({
      ...endpoints,
      tenantId: 't1',
      clientId: 'c1',
      certificatePem: `${pems.cert}\n${pems.private}`,
      fetch: async (url, init) => {
        const form = new URLSearchParams(String(init.body ?? ''));
        assertion ||= form.get('client_assertion') ?? '';
        return authority.fetch(url, init);
      },
      clock: new ManualClock(),
    });
    await tokens.getToken().catch(() => undefined);
    const header = JSON.parse(Buffer.from(assertion.split('.')[0], 'base64url').toString()) as {
      x5c?: string[];
    };
    expect(header.x5c).toEqual([new X509Certificate(pems.cert).raw.toString('base64')]);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      readCertificateCredential(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
    ).toThrow(/certificate/);
  });
});
