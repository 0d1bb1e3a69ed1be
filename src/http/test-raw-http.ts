// Test support: one HTTP/1.1 request written byte for byte on a socket (any Host header, as an attacker's page
// or curl would send it), and the answer's status line, headers and body.
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function rawRequest(
  port: number,
  request: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string },
): Promise<RawAnswer> {
  const body = request.body ?? '';
  const lines = [
    `${request.method ?? 'GET'} ${request.path} HTTP/1.1`,
    `Host: ${request.host}`,
    'Connection: close',
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(body ? [`Content-Length: ${Buffer.byteLength(body)}`] : []),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.once('error', reject);
    socket.once('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const h of head.slice(1)) {
        const i = h.indexOf(':');
        headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
      }
      let rest = all.subarray(split + 4);
      // Chunked bodies: keep the data, drop the chunk sizes (which count bytes).
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        for (;;) {
          const nl = rest.indexOf('\r\n');
          const size = Number.parseInt(rest.subarray(0, nl).toString('latin1'), 16);
          if (!size) break;
          parts.push(rest.subarray(nl + 2, nl + 2 + size));
          rest = rest.subarray(nl + 2 + size + 2);
        }
        rest = Buffer.concat(parts);
      }
      resolve({ status: Number(head[0]?.split(' ')[1]), headers, body: rest.toString('utf8') });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}
