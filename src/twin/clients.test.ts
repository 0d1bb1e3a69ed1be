// The official Microsoft clients against a listening twin: only base URLs (and trust of its certificate) change.
import { createHash, X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from '@azure/msal-node';
import { Client, type FetchOptions } from '@microsoft/microsoft-graph-client';
import { generate } from 'selfsigned';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../clock/clock.ts';
import { parseCallRecord } from '../graph/parse.ts';
import { noThrottle } from './test-client.ts';
import { createTwin, type Twin, type TwinListener } from './twin.ts';

let twin: Twin;
let listener: TwinListener;
let agent: Agent;

/** msal-node's HTTP through undici with the twin's certificate trusted (msal accepts a custom network client). */
function networkClient(): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    const res = await undiciFetch(url, {
      method,
      headers: options?.headers,
      body: options?.body,
      dispatcher: agent,
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: res.status, headers, body: (await res.json()) as T } satisfies NetworkResponse<T>;
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

function msalApp(
  credential:
    | { clientSecret: string }
    | { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c: string } },
) {
  const host = new URL(listener.url).host;
  return new ConfidentialClientApplication({
    auth: {
      clientId: twin.credentials.clientId,
      authority: listener.authorityUrl,
      knownAuthorities: [host],
      ...credential,
    },
    system: { networkClient: networkClient() },
  });
}

beforeAll(async () => {
  // Real time here: msal-node reads the wall clock; speed is irrelevant to these tests.
  twin = createTwin({ seed: 5, users: 80, days: 10, clock: new SystemClock(), throttle: noThrottle });
  listener = await twin.listen({ port: 0 });
  agent = new Agent({ connect: { ca: listener.caPem } });
});
afterAll(async () => {
  twin.stop();
  await listener.close();
  await agent.close();
});

describe('@azure/msal-node', () => {
  it('obtains a token with the client secret from the twin authority', async () => {
    const result = await msalApp({
      clientSecret: twin.credentials.clientSecret,
    }).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(result?.accessToken.split('.')).toHaveLength(3);
    expect(result?.tenantId || twin.homeTenantId).toBe(twin.homeTenantId);
  });

  it('reports a wrong secret as invalid_client', async () => {
    const app = msalApp({ clientSecret: 'wrong' });
    await expect(
      app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
    });
  });

  it('obtains a token with a certificate credential (signed client assertion)', async () => {
    const pems = await generate([{ name: 'commonName', value: 'calltrove test app' }], { keySize: 2048 });
    const cert = new X509Certificate(pems.cert);
    const clientCertificate = {
      thumbprintSha256: createHash('sha256').update(cert.raw).digest('hex'),
      privateKey: pems.private,
      // msal-node reads x5c as PEM and sends the chain in the assertion header; the twin verifies against it.
      x5c: pems.cert,
    };
    const result = await msalApp({ clientCertificate }).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(result?.accessToken).toBeTruthy();
    // The same certificate sent with another key's signature is refused.
    const other = await generate([{ name: 'commonName', value: 'intruder' }], { keySize: 2048 });
    const forged = msalApp({ clientCertificate: { ...clientCertificate, privateKey: other.private } });
    await expect(
      forged.acquireTokenByClientCredential({
        scopes: ['https://graph.microsoft.com/.default'],
        skipCache: true,
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
    });
  });
});

describe('@microsoft/microsoft-graph-client', () => {
  it('lists call records following every next link and reads records with expand', async () => {
    const app = msalApp({ clientSecret: twin.credentials.clientSecret });
    const client = Client.init({
      authProvider: (done) => {
        app
          .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
          .then((r) => done(null, r?.accessToken ?? null))
          .catch((err: Error) => done(err, null));
      },
      baseUrl: listener.url,
      customHosts: new Set([new URL(listener.url).hostname]),
      // Node's fetch takes an undici dispatcher; graph-client passes fetchOptions through untouched.
      fetchOptions: Object.assign({} as FetchOptions, { dispatcher: agent }),
    });
    const ids: string[] = [];
    let page = await client.api('/communications/callRecords').get();
    let pages = 1;
    ids.push(...page.value.map((r: { id: string }) => r.id));
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']).get();
      ids.push(...page.value.map((r: { id: string }) => r.id));
      pages++;
    }
    const truth = (await (
      await undiciFetch(`${listener.url}/_twin/truth`, { dispatcher: agent })
    ).json()) as {
      tenants: Record<string, unknown[]>;
    };
    expect(pages).toBeGreaterThan(3);
    expect(ids.length).toBe(truth.tenants[twin.homeTenantId].length);

    // A big meeting: sessions and participants come in pages; follow both kinds of link.
    let checked = 0;
    for (const id of ids.slice(0, 400)) {
      const record = await client
        .api(`/communications/callRecords/${id}`)
        .expand('sessions($expand=segments),participants_v2')
        .get();
      const parsed = parseCallRecord(record, id);
      if (!record['sessions@odata.nextLink']) continue;
      const sessions = [...(parsed.sessions ?? [])];
      let next: string | undefined = record['sessions@odata.nextLink'];
      while (next) {
        const more = await client.api(next).get();
        sessions.push(...more.value);
        next = more['@odata.nextLink'];
      }
      const people = [...(parsed.participants_v2 ?? [])];
      next = record['participants_v2@odata.nextLink'];
      while (next) {
        const more = await client.api(next).get();
        people.push(...more.value);
        next = more['@odata.nextLink'];
      }
      const all = await client.api(`/communications/callRecords/${id}/participants_v2`).get();
      expect(sessions.length).toBeGreaterThan(60);
      expect(new Set(sessions.map((s) => s.id)).size).toBe(sessions.length);
      expect(people.length).toBeGreaterThanOrEqual(all.value.length);
      checked++;
      break;
    }
    expect(checked).toBe(1);
  }, 60_000);
});

describe('webhooks over the network', () => {
  it('runs the validation handshake against a real HTTP receiver (default undici delivery)', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
      seen.push(req.method ?? '');
      res.writeHead(token === null ? 202 : 200, { 'content-type': 'text/plain' });
      res.end(token ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const app = msalApp({ clientSecret: twin.credentials.clientSecret });
      const token = (await app.acquireTokenByClientCredential({
        scopes: ['https://graph.microsoft.com/.default'],
      }))!.accessToken;
      const res = await undiciFetch(`${listener.graphUrl}/subscriptions`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          changeType: 'created,updated',
          notificationUrl: `http://127.0.0.1:${port}/notify`,
          resource: 'communications/callRecords',
          expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
          clientState: 'abc',
        }),
      });
      expect(res.status).toBe(201);
      expect(seen).toEqual(['POST']);
    } finally {
      server.close();
    }
  });
});
