// Test support: a real HTTP receiver on loopback that records every request and answers with the statuses it is
// told to (500, 500, 500, then 200...), and can go down and come back on the same port.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

export interface TestReceiver {
  url: string;
  readonly received: Received[];
  /** Answers the next requests with these statuses, then 200 (Workflows answers 202; any 2xx counts). */
  answer(...statuses: number[]): void;
  /** JSON bodies of the requests answered 2xx. */
  delivered<T = Record<string, unknown>>(): T[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(okStatus = 200): Promise<TestReceiver> {
  const received: Received[] = [];
  let queue: number[] = [];
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const status = queue.shift() ?? okStatus;
          received.push({
            path: req.url ?? '',
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            status,
          });
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'failing');
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}/hook/secret-path-token`,
    received,
    answer(...statuses) {
      queue = statuses;
    },
    delivered<T>() {
      return received.filter((r) => r.status < 300).map((r) => JSON.parse(r.body) as T);
    },
    down: stop,
    up: listen,
    close: stop,
  };
}
