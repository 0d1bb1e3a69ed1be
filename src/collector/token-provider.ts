// App-only tokens for Graph: @azure/msal-node client credentials (secret or certificate), reused until near expiry.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ConfidentialClientApplication,
  type Configuration,
  type INetworkModule,
  LogLevel,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../config/logger.ts';
import { CalltroveError } from '../errors.ts';
import type { FetchLike } from './http-fetch.ts';

export interface TokenProvider {
  /** A bearer token for Graph; forceRefresh asks Entra ID for a new one (after a 401). */
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** Tokens obtained from the authority so far (cache hits are not counted). */
  readonly acquired: number;
}

export interface TokenProviderOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM text holding the certificate and its (unencrypted) private key. */
  certificatePem?: string;
  /** e.g. https://login.microsoftonline.com (without the tenant). */
  authorityUrl: string;
  /** Graph base URL; its origin names the resource (`https://graph.microsoft.com/.default`). */
  graphUrl: string;
  fetch: FetchLike;
  clock: Clock;
  logger?: Logger;
  /** Renew this long before expiry (ms). */
  renewBeforeMs?: number;
}

/** Hosts msal-node resolves through Microsoft's instance discovery; any other authority must be declared known. */
const microsoftAuthorityHosts = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
]);

/** msal-node's HTTP goes through the collector's fetch, so a custom CA or the in-process twin works the same. */
export function msalNetworkModule(fetch: FetchLike): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions) => {
    const res = await fetch(url, { method, headers: options?.headers, body: options?.body });
    const text = await res.text();
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: `non-JSON answer (HTTP ${res.status})` };
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { headers, body: body as T, status: res.status } satisfies NetworkResponse<T>;
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** Reads a PEM holding certificate + private key into what msal-node needs (SHA-256 thumbprint, key, x5c). */
export function readCertificateCredential(pem: string): {
  thumbprintSha256: string;
  privateKey: string;
  x5c: string;
} {
  const certMatch = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
  const keyMatch = pem.match(
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/,
  );
  if (!certMatch || !keyMatch)
    throw new CalltroveError(
      'config',
      'the client certificate file does not hold both a certificate and a private key',
      {
        hint: 'CALLTROVE_CLIENT_CERTIFICATE must name one PEM file with the certificate and its unencrypted private key.',
      },
    );
  const cert = new X509Certificate(certMatch[0]);
  // msal-node signs with PKCS#8; convert a PKCS#1 key so either export works.
  const privateKey = createPrivateKey(keyMatch[0]).export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    thumbprintSha256: createHash('sha256').update(cert.raw).digest('hex'),
    privateKey,
    // msal-node reads x5c as PEM text (every certificate block in it, the chain included) and sends each as the
    // assertion's x5c header, which subject-name/issuer authentication in Entra ID needs.
    x5c: (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).join('\n'),
  };
}

/** Turns an authority failure into a message that says what to fix, without echoing any secret. */
export function describeAuthFailure(err: unknown, usingCertificate: boolean): CalltroveError {
  const e = err as { errorCode?: string; errorMessage?: string; message?: string };
  const text = `${e.errorCode ?? ''} ${e.errorMessage ?? e.message ?? ''}`;
  const aadsts = text.match(/AADSTS\d+/)?.[0];
  const tag = aadsts ? ` (${aadsts})` : '';
  if (/AADSTS7000215|AADSTS7000222|AADSTS700027|AADSTS700024|invalid_client/.test(text))
    return new CalltroveError('config', `Entra ID rejected the app's credentials${tag}`, {
      hint: usingCertificate
        ? 'Check CALLTROVE_CLIENT_CERTIFICATE: the certificate must be uploaded to the app registration and not expired.'
        : 'Check CALLTROVE_CLIENT_SECRET: use the secret value (not its id) of a client secret that has not expired.',
    });
  if (/AADSTS700016|unauthorized_client/.test(text))
    return new CalltroveError('config', `Entra ID does not know this app in the tenant${tag}`, {
      hint: 'Check CALLTROVE_CLIENT_ID (the application id) and CALLTROVE_TENANT_ID, and that admin consent was granted.',
    });
  if (/AADSTS90002|AADSTS90023|tenant/i.test(text) && /not found|invalid/i.test(text))
    return new CalltroveError('config', `Entra ID does not know the tenant${tag}`, {
      hint: 'Check CALLTROVE_TENANT_ID (the directory id) and CALLTROVE_AUTHORITY_URL / CALLTROVE_CLOUD.',
    });
  return new CalltroveError('unavailable', `could not obtain a token from the authority${tag}`, {
    hint: 'Check CALLTROVE_AUTHORITY_URL (or CALLTROVE_CLOUD), network access to it, and CALLTROVE_CA_FILE for a private CA.',
    cause: aadsts ? undefined : err,
  });
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { clock } = options;
  const authorityBase = options.authorityUrl.replace(/\/$/, '');
  const authority = `${authorityBase}/${options.tenantId}`;
  const authorityHost = new URL(authorityBase).host;
  const scope = `${new URL(options.graphUrl).origin}/.default`;
  const usingCertificate = !options.clientSecret && !!options.certificatePem;
  const renewBefore = options.renewBeforeMs ?? 5 * 60_000;

  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority,
      ...(options.clientSecret
        ? { clientSecret: options.clientSecret }
        : options.certificatePem
          ? { clientCertificate: readCertificateCredential(options.certificatePem) }
          : {}),
      ...(microsoftAuthorityHosts.has(new URL(authorityBase).hostname)
        ? {}
        : { knownAuthorities: [authorityHost] }),
    },
    system: {
      networkClient: msalNetworkModule(options.fetch),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  };
  if (!options.clientSecret && !options.certificatePem)
    throw new CalltroveError('config', 'no client credential is configured', {
      hint: 'Set CALLTROVE_CLIENT_SECRET, or CALLTROVE_CLIENT_CERTIFICATE to a PEM file with certificate and key.',
    });
  const app = new ConfidentialClientApplication(config);

  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let acquired = 0;

  async function acquire(): Promise<string> {
    let result: Awaited<ReturnType<typeof app.acquireTokenByClientCredential>>;
    try {
      // Our own cache decides reuse on the injected clock; msal's cache would follow wall time instead.
      result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
    } catch (err) {
      throw describeAuthFailure(err, usingCertificate);
    }
    if (!result?.accessToken)
      throw new CalltroveError('unavailable', 'the authority returned no access token');
    acquired++;
    const lifetime = result.expiresOn ? result.expiresOn.getTime() - Date.now() : 3600_000;
    // Short-lived tokens (tests) are renewed at half-life rather than never reused.
    const renewAt = clock.now() + Math.max(0, lifetime - Math.min(renewBefore, lifetime / 2));
    cached = { token: result.accessToken, renewAt };
    options.logger?.debug({ lifetimeSeconds: Math.round(lifetime / 1000) }, 'obtained a Graph token');
    return result.accessToken;
  }

  return {
    get acquired() {
      return acquired;
    },
    async getToken(opts = {}) {
      if (!opts.forceRefresh && cached && clock.now() < cached.renewAt) return cached.token;
      if (opts.forceRefresh) cached = undefined;
      inflight ??= acquire().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}

/** Reads the certificate file a config names (kept separate so config errors name the setting). */
export function readCertificateFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CalltroveError('config', `cannot read the client certificate file ${path}`, {
      hint: `Check CALLTROVE_CLIENT_CERTIFICATE: it must name a readable PEM file. ${(err as Error).message}`,
    });
  }
}
