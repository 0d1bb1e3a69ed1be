// Reads a notification body up to a size limit: straight from Node's request when served by @hono/node-server
// (building a web Request and stream per notification cost more CPU than storing it), else from the web Request.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type BodyText = { text: string } | { tooLarge: true };

export async function readBodyText(c: Context, maxBytes: number): Promise<BodyText> {
  const declared = Number(c.req.header('content-length'));
  if (declared > maxBytes) return { tooLarge: true };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (incoming && !incoming.readableDidRead) {
    const text = await readIncoming(incoming, maxBytes);
    return text === undefined ? { tooLarge: true } : { text };
  } else if (c.req.raw.body) {
    const reader = c.req.raw.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        return { tooLarge: true };
      }
      chunks.push(value);
    }
  }
  return { text: Buffer.concat(chunks, size).toString('utf8') };
}

/** The body as text, or undefined past `maxBytes`: the rest is then read and dropped, so the 413 reaches the sender. */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.resume();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size).toString('utf8'));
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', reject);
  });
}
