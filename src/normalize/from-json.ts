// Call-record JSON -> parsed record + rows in one step: what ingest, reprocess and same-version merges all do.
import { callRecordSchema } from '../graph/call-record-schema.ts';
import { fastCheckOf } from '../graph/fast-check.ts';
import { parseCallRecord } from '../graph/parse.ts';
import type { CallRecord } from '../graph/types.ts';
import { type NormalizeContext, normalizeCallRecord } from './normalize-call.ts';
import { checkPlausibility, type PlausibilityResult, type ValueWarning } from './plausibility.ts';
import type { CallRows } from './rows.ts';

const fastCheck = fastCheckOf(callRecordSchema);

/**
 * Validates (throwing GraphParseError naming source and JSON path), holds the values to what Graph can send
 * (plausibility.ts: impossible values nulled with a warning each, or the record refused) and normalizes. A record
 * the fast check passes is exactly what zod would output, so it is used as it is; anything else goes through zod,
 * which parses it (e.g. "NaN" metrics become null) or reports the problem.
 */
export function rowsFromJson(
  json: unknown,
  ctx: NormalizeContext & { source: string },
  base = '$',
): { record: CallRecord; rows: CallRows; warnings: ValueWarning[]; fix: PlausibilityResult['fix'] } {
  const parsed = fastCheck?.(json) ? (json as CallRecord) : parseCallRecord(json, ctx.source, base);
  const { record, warnings, fix } = checkPlausibility(parsed, ctx.source, base);
  return { record, rows: normalizeCallRecord(record, ctx), warnings, fix };
}
