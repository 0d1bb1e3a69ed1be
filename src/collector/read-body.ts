// Reads a notification body up to a size limit: straight from Node's request when served by @hono/node-server
// (building a web Request and stream per notification cost more CPU than storing it), else from the web Request.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The body, or why there is none: past the size limit, or the connection closed before its end (a timeout). */
export type BodyText = { text: string } | { tooLarge: true } | { cutOff: true };

export async function readBodyText(c: Context, maxBytes: number): Promise<BodyText> {
  if (Number(c.req.header('content-length')) > maxBytes) return { tooLarge: true };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const text =
    incoming && !incoming.readableDidRead
      ? await readIncoming(incoming, maxBytes)
      : await readWebBody(c.req.raw.body, maxBytes);
  if (text === cutOff) return { cutOff: true };
  return text === undefined ? { tooLarge: true } : { text };
}

const cutOff = Symbol('cut off');

/** The body as text, or undefined past `maxBytes`: the rest is then read and dropped, so the 413 reaches the sender. */
function readIncoming(
  incoming: IncomingMessage,
  maxBytes: number,
): Promise<string | undefined | typeof cutOff> {
  return new Promise((resolve) => {
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
    // The server's request timeout (webhookServerOptions) destroys a slow sender's socket: no body, no wait.
    incoming.once('error', () => resolve(cutOff));
    incoming.once('close', () => resolve(cutOff));
  });
}

/** The same for a web Request's body (in-process requests, other runtimes). */
async function readWebBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
