// Test support: a minimal Entra ID authority and a scriptable Graph behind one fetch, for unit tests without the twin.
import type { FetchLike } from './http-fetch.ts';

export interface FakeAuthority {
  fetch: FetchLike;
  tokensIssued: number;
  secret: string;
  expiresInSeconds: number;
}

/** Serves the OpenID metadata msal-node reads and a client-credentials token endpoint checking one secret. */
export function fakeAuthority(secret = 'right-secret', expiresInSeconds = 3599): FakeAuthority {
  const state: FakeAuthority = {
    tokensIssued: 0,
    secret,
    expiresInSeconds,
    fetch: async (url, init) => {
      const u = new URL(url);
      const tenant = u.pathname.split('/')[1];
      const base = `${u.origin}/${tenant}`;
      if (u.pathname.endsWith('/.well-known/openid-configuration'))
        return Response.json({
          token_endpoint: `${base}/oauth2/v2.0/token`,
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
        });
      if (u.pathname.endsWith('/oauth2/v2.0/token') && init.method === 'POST') {
        const form = new URLSearchParams(String(init.body));
        if (form.get('client_secret') !== state.secret)
          return Response.json(
            {
              error: 'invalid_client',
              error_description: 'AADSTS7000215: Invalid client secret provided. Trace ID: 0',
              error_codes: [7000215],
            },
            { status: 401 },
          );
        state.tokensIssued++;
        return Response.json({
          token_type: 'Bearer',
          expires_in: state.expiresInSeconds,
          ext_expires_in: state.expiresInSeconds,
          access_token: `token-${state.tokensIssued}`,
        });
      }
      return Response.json({ error: 'not_found' }, { status: 404 });
    },
  };
  return state;
}

export type FakeRoute = (req: {
  url: URL;
  method: string;
  body: string;
  token: string;
}) => Response | Promise<Response>;

/** A fetch that answers from one handler and records every request (path + query) it saw. */
export function fakeGraph(handler: FakeRoute): { fetch: FetchLike; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    fetch: async (url, init) => {
      const u = new URL(url);
      seen.push(`${init.method ?? 'GET'} ${decodeURIComponent(u.pathname + u.search)}`);
      const auth = new Headers(init.headers).get('authorization') ?? '';
      return handler({
        url: u,
        method: init.method ?? 'GET',
        body: String(init.body ?? ''),
        token: auth.slice(7),
      });
    },
  };
}

/** A token provider that hands out numbered tokens without any authority. */
export function staticTokens(): {
  getToken(o?: { forceRefresh?: boolean }): Promise<string>;
  acquired: number;
} {
  const t = {
    acquired: 1,
    async getToken(o?: { forceRefresh?: boolean }) {
      if (o?.forceRefresh) t.acquired++;
      return `token-${t.acquired}`;
    },
  };
  return t;
}
