// Entra ID as the twin plays it: OpenID metadata, instance discovery, client-credentials tokens bound to a tenant.
import {
  createHash,
  createHmac,
  createPublicKey,
  constants as cryptoConstants,
  timingSafeEqual,
  verify,
  X509Certificate,
} from 'node:crypto';
import { jsonResponse, type RequestContext } from './http.ts';

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenClaims {
  tid: string;
  appid: string;
  exp: number;
}

/** Token lifetime Entra ID gives app-only tokens (seconds). */
export const tokenLifetimeSeconds = 3599;
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signed: string;
  signature: Buffer;
} | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>,
      signed: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return null;
  }
}

export class Authority {
  private readonly key: Buffer;

  constructor(
    private readonly tenants: ReadonlySet<string>,
    private readonly app: AppCredentials,
    seed: number,
  ) {
    this.key = createHash('sha256').update(`calltrove-twin-token-key:${seed}`).digest();
  }

  /** A JWT-shaped access token, HMAC-signed by the twin so no token table is needed. */
  mint(tenantId: string, nowMs: number): string {
    const iat = Math.floor(nowMs / 1000);
    const header = b64json({ typ: 'JWT', alg: 'HS256', kid: 'twin' });
    const payload = b64json({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + tokenLifetimeSeconds,
      appid: this.app.clientId,
      idtyp: 'app',
      roles: ['CallRecords.Read.All'],
      tid: tenantId,
      ver: '1.0',
    });
    const sig = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${sig}`;
  }

  /** The claims of a token this twin issued, or why it is refused. */
  verifyBearer(authorization: string | null, nowMs: number): TokenClaims | { problem: string } {
    if (!authorization?.startsWith('Bearer ')) return { problem: 'Access token is empty.' };
    const jwt = parseJwt(authorization.slice(7).trim());
    if (!jwt) return { problem: 'IDX14100: JWT is not well formed.' };
    const expected = createHmac('sha256', this.key).update(jwt.signed).digest();
    if (expected.length !== jwt.signature.length || !timingSafeEqual(expected, jwt.signature))
      return { problem: 'Invalid signature.' };
    const { tid, appid, exp } = jwt.payload as Partial<TokenClaims>;
    if (typeof tid !== 'string' || typeof exp !== 'number' || typeof appid !== 'string')
      return { problem: 'Access token is not valid.' };
    if (exp * 1000 <= nowMs) return { problem: 'Lifetime validation failed, the token is expired.' };
    return { tid, appid, exp };
  }

  private entraError(
    ctx: RequestContext,
    status: number,
    error: string,
    code: number,
    text: string,
  ): Response {
    const stamp = new Date(ctx.now)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return jsonResponse(
      {
        error,
        error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${ctx.requestId}\r\nCorrelation ID: ${ctx.requestId}\r\nTimestamp: ${stamp}`,
        error_codes: [code],
        timestamp: stamp,
        trace_id: ctx.requestId,
        correlation_id: ctx.requestId,
        error_uri: `${ctx.origin}/error?code=${code}`,
      },
      status,
    );
  }

  private unknownTenant(ctx: RequestContext, tenant: string): Response {
    return this.entraError(
      ctx,
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }

  /** GET /{tenant}/v2.0/.well-known/openid-configuration */
  openidConfiguration(ctx: RequestContext, tenant: string): Response {
    if (!this.tenants.has(tenant)) return this.unknownTenant(ctx, tenant);
    const base = `${ctx.origin}/${tenant}`;
    return jsonResponse({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      tenant_region_scope: 'NA',
      cloud_instance_name: new URL(ctx.origin).host,
      msgraph_host: new URL(ctx.origin).host,
    });
  }

  /** GET /common/discovery/instance (Microsoft's instance discovery; aliases are just the twin's host). */
  instanceDiscovery(ctx: RequestContext): Response {
    const host = new URL(ctx.origin).host;
    return jsonResponse({
      tenant_discovery_endpoint: `${ctx.origin}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  /** POST /{tenant}/oauth2/v2.0/token (client credentials: secret, or a certificate-signed assertion). */
  async token(ctx: RequestContext, tenant: string): Promise<Response> {
    if (!this.tenants.has(tenant)) return this.unknownTenant(ctx, tenant);
    const form = new URLSearchParams(await ctx.req.text());
    const basic = ctx.req.headers.get('authorization');
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    if (basic?.startsWith('Basic ')) {
      const [id, s] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      secret = decodeURIComponent(s ?? '');
    }
    if (form.get('grant_type') !== 'client_credentials')
      return this.entraError(
        ctx,
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => s.endsWith('/.default')))
      return this.entraError(
        ctx,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    if (!clientId || clientId !== this.app.clientId)
      return this.entraError(
        ctx,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    const assertion = form.get('client_assertion');
    if (assertion) {
      const problem = this.checkAssertion(
        assertion,
        form.get('client_assertion_type'),
        `${ctx.origin}/${tenant}/oauth2/v2.0/token`,
      );
      if (problem) return this.entraError(ctx, 401, 'invalid_client', problem.code, problem.text);
    } else if (!secret) {
      return this.entraError(
        ctx,
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    } else if (secret !== this.app.clientSecret) {
      return this.entraError(
        ctx,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.app.clientId}'.`,
      );
    }
    return jsonResponse({
      token_type: 'Bearer',
      expires_in: tokenLifetimeSeconds,
      ext_expires_in: tokenLifetimeSeconds,
      access_token: this.mint(tenant, ctx.now),
    });
  }

  /**
   * A certificate credential: the assertion must be a well-formed RS256/PS256 JWT for this app and token endpoint;
   * when it carries its certificate (x5c) the signature is verified against it. Which certificates are "uploaded"
   * to the app is not modelled: any certificate that signs correctly is accepted.
   */
  private checkAssertion(
    assertion: string,
    type: string | null,
    audience: string,
  ): { code: number; text: string } | null {
    if (type !== assertionType)
      return { code: 7000219, text: `'client_assertion_type' must be '${assertionType}'.` };
    const jwt = parseJwt(assertion);
    if (!jwt) return { code: 700024, text: 'Client assertion is not a well-formed JWT.' };
    const { alg, x5c } = jwt.header;
    const { aud, iss, sub, exp } = jwt.payload;
    if (alg !== 'RS256' && alg !== 'PS256')
      return { code: 700027, text: `Client assertion uses an unsupported algorithm '${String(alg)}'.` };
    if (iss !== this.app.clientId || sub !== this.app.clientId)
      return { code: 700023, text: 'Client assertion issuer and subject must be the application id.' };
    if (aud !== audience)
      return {
        code: 700024,
        text: `Client assertion audience claim does not match Realm issuer. Expected '${audience}'.`,
      };
    if (typeof exp !== 'number') return { code: 700024, text: 'Client assertion has no expiry.' };
    const chain = Array.isArray(x5c) ? x5c : typeof x5c === 'string' ? [x5c] : [];
    if (chain.length > 0) {
      try {
        const cert = new X509Certificate(Buffer.from(String(chain[0]), 'base64'));
        const key = createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' }));
        const ok =
          alg === 'PS256'
            ? verify(
                'sha256',
                Buffer.from(jwt.signed),
                { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
                jwt.signature,
              )
            : verify('sha256', Buffer.from(jwt.signed), key, jwt.signature);
        if (!ok) return { code: 700027, text: 'Client assertion failed signature validation.' };
      } catch {
        return { code: 700027, text: 'Client assertion contains an invalid certificate.' };
      }
    }
    return null;
  }
}
