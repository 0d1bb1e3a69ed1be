// Input readers for `import`: paths/folders/globs -> files -> call records (one record, a Graph page, or NDJSON).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import fg from 'fast-glob';

/** What a file yields: a record to ingest, a payload that is not a call record (skipped), or a problem. */
export type InputItem =
  | {
      kind: 'record';
      json: unknown;
      source: string;
      jsonPath: string;
      /** The record's JSON text as read (UTF-8), when the document was the record alone: kept as its raw copy. */
      text?: Uint8Array;
    }
  | {
      kind: 'part';
      recordId: string;
      property: 'sessions' | 'participants_v2';
      values: unknown[];
      source: string;
    }
  | { kind: 'rows'; rowKind: 'pstn' | 'directRouting'; rows: unknown[]; source: string }
  | { kind: 'skip'; source: string; reason: string }
  | { kind: 'error'; source: string; jsonPath?: string; problem: string };

export interface InputFiles {
  files: string[];
  /** Paths that named nothing: each is a failure of the import. */
  missing: Array<{ source: string; problem: string }>;
}

const recordFiles = '**/*.{json,ndjson,jsonl}';

/** Files, folders (every .json/.ndjson/.jsonl below) and globs, in a stable order, each file once. */
export async function expandPaths(paths: readonly string[]): Promise<InputFiles> {
  const seen = new Set<string>();
  const out: InputFiles = { files: [], missing: [] };
  const add = (f: string) => {
    const abs = resolve(f);
    if (!seen.has(abs)) {
      seen.add(abs);
      out.files.push(abs);
    }
  };
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (info?.isDirectory()) {
      // Exports made on Windows may be named .JSON: a folder's files match whatever the case.
      const found = await fg(recordFiles, {
        cwd: p,
        absolute: true,
        onlyFiles: true,
        caseSensitiveMatch: false,
      });
      found.sort().forEach(add);
      if (found.length === 0)
        out.missing.push({ source: p, problem: 'the folder holds no .json, .ndjson or .jsonl files' });
    } else if (info) {
      add(p);
    } else if (fg.isDynamicPattern(p)) {
      const found = await fg(p.replaceAll('\\', '/'), { absolute: true, onlyFiles: true });
      found.sort().forEach(add);
      if (found.length === 0) out.missing.push({ source: p, problem: 'the pattern matched no files' });
    } else {
      out.missing.push({ source: p, problem: 'no such file or folder' });
    }
  }
  return out;
}

type Loose = Record<string, unknown>;

function isObject(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Our own wording for a JSON syntax error: where, never the text around it (it may hold EUII). */
export function describeJsonError(
  err: unknown,
  text: string,
  unit: 'file' | 'line' = 'file',
): { jsonPath?: string; problem: string } {
  const message = (err as Error)?.message ?? '';
  // The source of an NDJSON line already names its line: only the column is news there.
  const truncated =
    unit === 'line'
      ? { problem: 'the line ends in the middle of its JSON (cut off?); re-export the file' }
      : { problem: 'the JSON ends too early (truncated file?); re-export or re-download it' };
  if (/end of JSON input/i.test(message)) return truncated;
  const m = /position (\d+)/.exec(message);
  if (m) {
    const pos = Number(m[1]);
    // An error at the very end means the text stops mid-value: a cut-off download or copy.
    if (pos >= text.trimEnd().length - 1) return truncated;
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    const where = unit === 'line' ? `column ${column}` : `line ${line}, column ${column}`;
    return { problem: `invalid JSON at ${where}; fix or re-export the file` };
  }
  return { problem: 'invalid JSON; fix or re-export the file' };
}

/** Graph payloads that are not call records, recognised so they are skipped with a reason instead of failing. */
function notACallRecord(value: Loose, items: unknown[] | undefined): string | undefined {
  const context = typeof value['@odata.context'] === 'string' ? value['@odata.context'] : '';
  const first = items && isObject(items[0]) ? items[0] : undefined;
  if (/\/sessions(\(|$|\?)/.test(context) || (first && !('version' in first) && 'caller' in first))
    return 'a page of sessions, not call records: fetch the record with $expand=sessions($expand=segments)';
  if (/\/participants_v2/.test(context))
    return 'a page of participants, not call records: fetch the record with $expand=participants_v2';
  if (first && ('subscriptionId' in first || 'lifecycleEvent' in first))
    return 'change notifications, not call records';
  if ('notificationUrl' in value || ('changeType' in value && 'resource' in value))
    return 'a subscription, not a call record';
  if (/getSmsLog|smsLogRow|PstnBlockedUsersLog|PstnOnlineMeetingDialoutReport/i.test(context))
    return 'a PSTN usage report (beta), not call records';
  return undefined;
}

function rowKindOf(value: Loose): 'pstn' | 'directRouting' | undefined {
  const context = typeof value['@odata.context'] === 'string' ? value['@odata.context'] : '';
  if (/pstnCallLogRow|getPstnCalls/i.test(context)) return 'pstn';
  if (/directRoutingLogRow|getDirectRoutingCalls/i.test(context)) return 'directRouting';
  return undefined;
}

/** A page of one record's sessions or participants_v2: `@odata.context` names the record. */
function partOf(value: Loose): { recordId: string; property: 'sessions' | 'participants_v2' } | undefined {
  const context = typeof value['@odata.context'] === 'string' ? value['@odata.context'] : '';
  const m = /callRecords\('([^']+)'\)\/(sessions|participants_v2)(?:\(|$|\?)/.exec(context);
  return m
    ? { recordId: decodeURIComponent(m[1]), property: m[2] as 'sessions' | 'participants_v2' }
    : undefined;
}

/** The records one parsed JSON document holds (`text`: the document's bytes, kept when it is one record). */
export function* itemsOfDocument(value: unknown, source: string, text?: Uint8Array): Generator<InputItem> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      yield { kind: 'record', json: value[i], source, jsonPath: `$[${i}]` };
    if (value.length === 0) yield { kind: 'skip', source, reason: 'an empty list' };
    return;
  }
  if (isObject(value) && Array.isArray(value.value) && !('id' in value)) {
    const items = value.value;
    const rowKind = rowKindOf(value);
    if (rowKind) {
      yield { kind: 'rows', rowKind, rows: items, source };
      return;
    }
    const part = partOf(value);
    if (part) {
      yield { kind: 'part', ...part, values: items, source };
      return;
    }
    const skip = notACallRecord(value, items);
    if (skip) {
      yield { kind: 'skip', source, reason: skip };
      return;
    }
    for (let i = 0; i < items.length; i++)
      yield { kind: 'record', json: items[i], source, jsonPath: `$.value[${i}]` };
    if (items.length === 0) yield { kind: 'skip', source, reason: 'a page with no call records' };
    return;
  }
  if (isObject(value)) {
    const skip = notACallRecord(value, undefined);
    if (skip) {
      yield { kind: 'skip', source, reason: skip };
      return;
    }
  }
  yield { kind: 'record', json: value, source, jsonPath: '$', text };
}

const isBlank = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;

/**
 * The bytes without a UTF-8 byte order mark and trailing whitespace (a CR before LF, a final newline); leading
 * whitespace stays, so JSON error positions still count from the start of the line. Empty when all blank.
 */
export function trimBytes(bytes: Uint8Array): Uint8Array {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let end = bytes.length;
  while (end > start && isBlank(bytes[end - 1])) end--;
  return bytes.subarray(start, end);
}

/**
 * The lines of a file as bytes, streamed (a large export never sits in memory whole) and split on LF without
 * decoding: each line's bytes are what its record's raw copy keeps.
 */
export async function* fileLines(file: string): AsyncGenerator<{ line: Uint8Array; n: number }> {
  let carry: Buffer | undefined;
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    if (n === 0 && !carry && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    carry = undefined;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      yield { line: buf.subarray(start, nl), n: ++n };
      start = nl + 1;
    }
    if (start < buf.length) carry = buf.subarray(start);
  }
  if (carry) yield { line: carry, n: ++n };
}

/** A piece of input read but not yet parsed: one NDJSON line, or a whole JSON file. */
export interface InputUnit {
  kind: 'line' | 'file';
  /** The UTF-8 text (a line without its line break; a file without its byte order mark and trailing space). */
  bytes: Uint8Array;
  /** `file line n`, or the file. */
  source: string;
}

const decoder = new TextDecoder();

export function isUnit(u: InputUnit | InputItem): u is InputUnit {
  return u.kind === 'line' || u.kind === 'file';
}

/** A file's units, streamed: its NDJSON lines, or the file whole; a file that cannot be read is an error item. */
export async function* readFileUnits(file: string): AsyncGenerator<InputUnit | InputItem> {
  if (/\.(ndjson|jsonl)$/i.test(file)) {
    let any = false;
    for await (const { line, n } of fileLines(file)) {
      const bytes = trimBytes(line);
      if (bytes.length === 0) continue;
      // A lone "{" or "[" opens a pretty-printed document saved under an NDJSON name: read it whole (as a .json
      // holding NDJSON is read by lines) instead of failing each of its lines.
      if (!any && isLoneBracket(bytes)) {
        yield* wholeFile(file);
        return;
      }
      any = true;
      yield { kind: 'line', bytes, source: `${file} line ${n}` };
    }
    if (!any) yield { kind: 'error', source: file, problem: 'the file is empty; nothing to import' };
    return;
  }
  yield* wholeFile(file);
}

function isLoneBracket(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && isBlank(bytes[i])) i++;
  return i === bytes.length - 1 && (bytes[i] === 0x7b || bytes[i] === 0x5b);
}

async function* wholeFile(file: string): AsyncGenerator<InputUnit | InputItem> {
  try {
    yield { kind: 'file', bytes: trimBytes(await readFile(file)), source: file };
  } catch (err) {
    yield {
      kind: 'error',
      source: file,
      problem: `cannot read the file (${(err as NodeJS.ErrnoException).code})`,
    };
  }
}

function* parseLine(bytes: Uint8Array, source: string): Generator<InputItem> {
  const line = decoder.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    yield { kind: 'error', source, ...describeJsonError(err, line, 'line') };
    return;
  }
  yield* itemsOfDocument(value, source, bytes);
}

/** What one unit holds, in order; never throws for bad content (problems are items). */
export function* itemsOfUnit(unit: InputUnit): Generator<InputItem> {
  const { bytes, source: file } = unit;
  if (unit.kind === 'line') {
    yield* parseLine(bytes, file);
    return;
  }
  if (bytes.length === 0) {
    yield { kind: 'error', source: file, problem: 'the file is empty; nothing to import' };
    return;
  }
  let text = decoder.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Not one JSON document: NDJSON under a .json name, when each line stands alone.
    const lines = text.split('\n');
    const nonEmpty = lines.filter((l) => l.trim() !== '');
    if (nonEmpty.length > 1 && nonEmpty[0].trim().startsWith('{') && nonEmpty[0].trim().endsWith('}')) {
      text = '';
      let start = 0;
      for (let n = 1; start <= bytes.length; n++) {
        const nl = bytes.indexOf(10, start);
        const end = nl === -1 ? bytes.length : nl;
        const line = trimBytes(bytes.subarray(start, end));
        if (line.length > 0) yield* parseLine(line, `${file} line ${n}`);
        start = end + 1;
      }
      return;
    }
    yield { kind: 'error', source: file, ...describeJsonError(err, text) };
    return;
  }
  text = '';
  yield* itemsOfDocument(value, file, bytes);
}

/** Everything one file holds, in order; never throws for bad content (problems are items). */
export async function* readFileItems(file: string): AsyncGenerator<InputItem> {
  for await (const unit of readFileUnits(file)) {
    if (isUnit(unit)) yield* itemsOfUnit(unit);
    else yield unit;
  }
}
