// Call-record JSON -> parsed record + rows in one step: what ingest, reprocess and same-version merges all do.
import { parseCallRecord } from '../graph/parse.ts';
import type { CallRecord } from '../graph/types.ts';
import { type NormalizeContext, normalizeCallRecord } from './normalize-call.ts';
import type { CallRows } from './rows.ts';

/** Parses (throwing GraphParseError naming source and JSON path) and normalizes. */
export function rowsFromJson(
  json: unknown,
  ctx: NormalizeContext & { source: string },
  base = '$',
): { record: CallRecord; rows: CallRows } {
  const record = parseCallRecord(json, ctx.source, base);
  return { record, rows: normalizeCallRecord(record, ctx) };
}
