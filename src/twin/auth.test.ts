// Entra ID as the twin plays it: tokens for the right secret only, Entra's error bodies, expiry, tenant binding.
import { afterEach, describe, expect, it } from 'vitest';
import { graphClient, testTwin, tokenFor } from './test-client.ts';
import type { Twin } from './twin.ts';

const twins: Twin[] = [];
function make(...args: Parameters<typeof testTwin>) {
  const made = testTwin(...args);
  twins.push(made.twin);
  return made;
}
afterEach(() => {
  for (const t of twins.splice(0)) t.stop();
});

type EntraError = { error: string; error_description: string; error_codes: number[] };

describe('token endpoint', () => {
  it('issues a bearer token that expires in 3599 seconds for the right secret', async () => {
    const { twin } = make();
    const res = await tokenFor(twin);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token_type: string; expires_in: number; access_token: string };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3599);
    expect(body.access_token.split('.')).toHaveLength(3);
  });

  it('answers a wrong secret with invalid_client AADSTS7000215 (401), without echoing the secret', async () => {
    const { twin } = make();
    const res = await tokenFor(twin, twin.homeTenantId, 'not-the-secret-value');
    expect(res.status).toBe(401);
    const text = await res.text();
    const body = JSON.parse(text) as EntraError;
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(text).not.toContain('not-the-secret-value');
  });

  it('answers an unknown tenant with AADSTS90002 (400), on the token and the metadata endpoints', async () => {
    const { twin } = make();
    const res = await tokenFor(twin, '11111111-2222-3333-4444-555555555555');
    expect(res.status).toBe(400);
    expect(((await res.json()) as EntraError).error_codes).toEqual([90002]);
    const meta = await twin.fetch(
      new Request('https://x/11111111-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration'),
    );
    expect(meta.status).toBe(400);
  });

  it('answers an unknown client id with AADSTS700016 and a missing /.default scope with AADSTS1002012', async () => {
    const { twin } = make();
    const post = (form: Record<string, string>) =>
      twin.fetch(
        new Request(`https://x/${twin.homeTenantId}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams(form),
        }),
      );
    const base = { grant_type: 'client_credentials', client_secret: twin.credentials.clientSecret };
    const wrongApp = await post({
      ...base,
      client_id: 'aaaaaaaa-0000-0000-0000-000000000000',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(((await wrongApp.json()) as EntraError).error_codes).toEqual([700016]);
    const noScope = await post({ ...base, client_id: twin.credentials.clientId, scope: 'User.Read' });
    expect(noScope.status).toBe(400);
    expect(((await noScope.json()) as EntraError).error).toBe('invalid_scope');
  });

  it('serves OpenID metadata and instance discovery on the host the client used', async () => {
    const { twin } = make();
    const meta = (await (
      await twin.fetch(
        new Request(`https://login.example:8443/${twin.homeTenantId}/v2.0/.well-known/openid-configuration`),
      )
    ).json()) as Record<string, string>;
    expect(meta.token_endpoint).toBe(`https://login.example:8443/${twin.homeTenantId}/oauth2/v2.0/token`);
    expect(meta.issuer).toBe(`https://login.example:8443/${twin.homeTenantId}/v2.0`);
    const disco = (await (
      await twin.fetch(new Request('https://login.example:8443/common/discovery/instance?api-version=1.1'))
    ).json()) as { metadata: Array<{ aliases: string[] }> };
    expect(disco.metadata[0].aliases).toEqual(['login.example:8443']);
  });
});

describe('Graph authentication', () => {
  it('refuses missing, forged and expired tokens with 401 InvalidAuthenticationToken', async () => {
    const { twin, clock } = make();
    const graph = await graphClient(twin);
    expect((await graph.get('/communications/callRecords')).status).toBe(200);
    const none = await twin.fetch(new Request('https://x/v1.0/communications/callRecords'));
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe(
      'InvalidAuthenticationToken',
    );
    const { access_token: token } = (await (await tokenFor(twin)).json()) as { access_token: string };
    const forged = `${token.slice(0, -4)}AAAA`;
    const res = await twin.fetch(
      new Request('https://x/v1.0/communications/callRecords', {
        headers: { authorization: `Bearer ${forged}` },
      }),
    );
    expect(res.status).toBe(401);
    await clock.advance(3600_000);
    const expired = await graph.get('/communications/callRecords');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });
});
