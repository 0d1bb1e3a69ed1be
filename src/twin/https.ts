// Serves a fetch handler over HTTPS with a self-signed certificate made at start (SAN 127.0.0.1 and localhost).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { generate } from 'selfsigned';

export interface ListenOptions {
  port?: number;
  host?: string;
  /** Writes the certificate (PEM) here, for clients that must trust it. */
  certOut?: string;
}

export interface HttpsListener {
  /** https://host:port */
  url: string;
  caPem: string;
  close(): Promise<void>;
}

export async function createCertificate(host: string): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'calltrove graph twin' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
          ...(host !== '127.0.0.1' && host !== 'localhost' && host !== '0.0.0.0'
            ? [/^[\d.]+$/.test(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host }]
            : []),
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function serveHttps(
  handler: (request: Request) => Promise<Response>,
  options: ListenOptions = {},
): Promise<HttpsListener> {
  const host = options.host ?? '127.0.0.1';
  const { cert, key } = await createCertificate(host);
  if (options.certOut) writeFileSync(options.certOut, cert);
  const server = createServer(
    { cert, key },
    getRequestListener((req) => handler(req)),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `https://${shownHost}:${port}`,
    caPem: cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
