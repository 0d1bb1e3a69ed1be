// Call-record JSON -> parsed record + rows in one step: what ingest, reprocess and same-version merges all do.
import { callRecordSchema } from '../graph/call-record-schema.ts';
import { fastCheckOf } from '../graph/fast-check.ts';
import { parseCallRecord } from '../graph/parse.ts';
import type { CallRecord } from '../graph/types.ts';
import { type NormalizeContext, normalizeCallRecord } from './normalize-call.ts';
import type { CallRows } from './rows.ts';

const fastCheck = fastCheckOf(callRecordSchema);

/**
 * Validates (throwing GraphParseError naming source and JSON path) and normalizes. A record the fast check
 * passes is exactly what zod would output, so it is used as it is; anything else goes through zod, which parses
 * it (e.g. "NaN" metrics become null) or reports the problem.
 */
export function rowsFromJson(
  json: unknown,
  ctx: NormalizeContext & { source: string },
  base = '$',
): { record: CallRecord; rows: CallRows } {
  const record = fastCheck?.(json) ? (json as CallRecord) : parseCallRecord(json, ctx.source, base);
  return { record, rows: normalizeCallRecord(record, ctx) };
}
