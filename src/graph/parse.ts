// Parses untrusted call-record JSON into typed values, with errors that name the source and the JSON path.
import type { z } from 'zod';
import { CalltroveError } from '../errors.ts';
import { callRecordSchema, directRoutingLogRowSchema, pstnCallLogRowSchema } from './call-record-schema.ts';
import type { CallRecord, DirectRoutingLogRow, PstnCallLogRow } from './types.ts';

/** A call record (or page, or row) that cannot be read; says where and what, never the values themselves. */
export class GraphParseError extends CalltroveError {
  readonly source: string;
  readonly jsonPath: string;
  constructor(source: string, jsonPath: string, problem: string) {
    super('bad_input', `${source}: ${jsonPath}: ${problem}`);
    this.name = 'GraphParseError';
    this.source = source;
    this.jsonPath = jsonPath;
  }
}

/** `$.sessions[0].segments[1].id` from a zod issue path. */
export function toJsonPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  let out = base;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  base: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // Zod puts the received value in some messages; keep only our own wording so no EUII leaks into errors.
  const problem = describeIssue(issue);
  throw new GraphParseError(source, toJsonPath(base, issue.path), problem);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.message.startsWith('a ')) return issue.message;
    // Zod names the type it received (never the value): "missing" or "got object" says what to fix.
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (received === 'undefined') return `missing (expected ${issue.expected})`;
    return received ? `expected ${issue.expected}, got ${received}` : `expected ${issue.expected}`;
  }
  if (issue.code === 'custom' || issue.code === 'too_small' || issue.code === 'invalid_format')
    return issue.message;
  if (issue.code === 'invalid_union') return 'value has the wrong type';
  return issue.message;
}

export function parseCallRecord(value: unknown, source = 'input', base = '$'): CallRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new GraphParseError(source, base, 'expected a call record object');
  return parseWith(callRecordSchema, value, source, base);
}

/**
 * A log row's text never holds a NUL: PostgreSQL refuses it (SQLite would take it), so such a row is refused
 * here, the same on both databases, instead of failing its whole page on one of them.
 */
function refuseNul<T extends object>(row: T, source: string, base: string): T {
  for (const [key, v] of Object.entries(row))
    if (typeof v === 'string' && v.includes('\0'))
      throw new GraphParseError(
        source,
        `${base}.${key}`,
        'text with a NUL character (Graph never sends one)',
      );
  return row;
}

export function parsePstnCallLogRow(value: unknown, source = 'input', base = '$'): PstnCallLogRow {
  return refuseNul(parseWith(pstnCallLogRowSchema, value, source, base), source, base);
}

export function parseDirectRoutingLogRow(value: unknown, source = 'input', base = '$'): DirectRoutingLogRow {
  return refuseNul(parseWith(directRoutingLogRowSchema, value, source, base), source, base);
}
