// Who is asking the API: bearer token -> principal (what a principal may see is src/service/principal.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/config.ts';
import { CalltroveError } from '../errors.ts';
import type { Principal } from '../service/principal.ts';

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export function tokenFingerprint(token: string): string {
  return sha256(token).toString('hex').slice(0, 12);
}

export interface Authenticator {
  /** True when at least one API token is configured: every API request must then carry one. */
  readonly tokensRequired: boolean;
  /** The caller behind an Authorization header value; throws 401 for a missing or unknown token. */
  principalOf(authorization: string | undefined): Principal;
}

/**
 * THE authorization rule:
 * - tokens configured: `Authorization: Bearer <token>` is required; the token's role applies.
 * - no tokens configured: the caller is the local admin, an investigator. `calltrove serve` refuses to listen
 *   on anything but loopback in that case, so only this machine can reach it.
 */
export function createAuthenticator(api: Config['api']): Authenticator {
  // Compare digests (fixed length) in constant time so response timing says nothing about a token.
  const known = api.tokens.map((t) => ({
    digest: sha256(t.token),
    role: t.role,
    id: tokenFingerprint(t.token),
  }));
  return {
    tokensRequired: known.length > 0,
    principalOf(authorization) {
      if (known.length === 0) return { role: 'investigator', via: 'local', tokenId: null };
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!m)
        throw new CalltroveError('unauthorized', 'an API token is required', {
          hint: 'send the header "Authorization: Bearer <token>" with a token from CALLTROVE_API_TOKEN or CALLTROVE_VIEWER_TOKEN',
        });
      const digest = sha256(m[1]);
      let match: (typeof known)[number] | undefined;
      for (const k of known) if (timingSafeEqual(k.digest, digest)) match = k;
      if (!match)
        throw new CalltroveError('unauthorized', 'the API token is not valid', {
          hint: 'check the token against the server configuration (CALLTROVE_API_TOKEN, CALLTROVE_VIEWER_TOKEN)',
        });
      return { role: match.role, via: 'token', tokenId: match.id };
    },
  };
}

/** Loopback addresses: the only ones `serve` may bind to while no token is configured. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Refuses a non-loopback bind address when no API token is configured. */
export function checkBindAllowed(host: string, api: Pick<Config['api'], 'tokens'>): void {
  if (api.tokens.length === 0 && !isLoopbackHost(host))
    throw new CalltroveError(
      'config',
      `refusing to listen on ${host} without an API token: set CALLTROVE_API_TOKEN, or listen on 127.0.0.1`,
      {
        hint: 'CALLTROVE_API_TOKEN is an investigator token of at least 16 characters; CALLTROVE_VIEWER_TOKEN adds a viewer (aggregates only)',
      },
    );
}
