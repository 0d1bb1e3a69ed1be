// The raw copy of a record version: its JSON text as received, hashed (re-import check) and compressed.
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, deflateSync, inflateSync } from 'node:zlib';

/** A record's JSON text: a string, or its UTF-8 bytes (a line of a file, never re-encoded). */
export type JsonText = string | Uint8Array;

/** What raw_versions keeps of one version: sha1 of the text, its byte size and the compressed text. */
export interface RawCopy {
  sha1: string;
  size: number;
  /** raw_versions.encoding: how body is compressed. */
  encoding: RawEncoding;
  body: Uint8Array;
}

/** `br` (brotli) for what ingest writes; `deflate` (zlib) as written before and by compress(). */
export type RawEncoding = 'br' | 'deflate';

/** sha1 of the UTF-8 text: a string and its bytes hash the same. */
export function sha1(text: JsonText): string {
  return createHash('sha1').update(text).digest('hex');
}

export function compress(text: JsonText): Uint8Array {
  // Level 1: raw history is written for every record and read rarely; speed matters more than ratio.
  return deflateSync(text, { level: 1 });
}

/**
 * The raw copy's compression at ingest: brotli quality 0 compresses this JSON about as small as deflate level
 * 1 (0.16 vs 0.15 of the size) in 60% of the time; raw history is written for every record and read rarely.
 */
export function compressRaw(text: JsonText): { encoding: RawEncoding; body: Uint8Array } {
  const body = brotliCompressSync(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 0,
      [constants.BROTLI_PARAM_SIZE_HINT]: byteSize(text),
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  return { encoding: 'br', body };
}

export function decompress(body: Uint8Array, encoding: string): string {
  if (encoding === 'deflate') return inflateSync(body).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
  throw new Error(`raw version stored with unknown encoding "${encoding}"`);
}

export function byteSize(text: JsonText): number {
  return typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
}

export function textToString(text: JsonText): string {
  return typeof text === 'string'
    ? text
    : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString();
}

export function rawCopyOf(text: JsonText): RawCopy {
  return { sha1: sha1(text), size: byteSize(text), ...compressRaw(text) };
}
