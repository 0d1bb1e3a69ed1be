// What every route handler gets: the request's principal, the app's dependencies, and the small answer helpers
// (JSON or CSV, unknown-parameter checks) so each handler reads parse, authorize, query, answer.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import { CalltroveError } from '../errors.ts';
import { type CsvColumn, toCsv } from '../format/csv.ts';
import type { Store } from '../store/store.ts';
import type { Principal } from './auth.ts';
import { csvResponse } from './csv.ts';
import type { Audit, AuditAction, GroupSuppression } from './privacy-seams.ts';

export interface RouteDeps {
  store: Store;
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: Audit;
  suppression: GroupSuppression;
}

export type AppEnv = { Variables: { principal: Principal } };
export type ApiApp = OpenAPIHono<AppEnv>;
export type Ctx = Context<AppEnv>;

/** Answers a table as JSON (`body`) or, with `?format=csv`, as a CSV download of `rows`. */
export function tableAnswer<T, B>(
  c: Ctx,
  format: 'json' | 'csv' | undefined,
  body: B,
  table: { rows: readonly T[]; columns: readonly CsvColumn<T>[]; name: string },
): Response {
  // CRLF and a byte order mark: a download is opened in Excel more often than piped.
  if (format === 'csv') return csvResponse(toCsv(table.rows, table.columns, { bom: true }), table.name);
  return c.json(body as object);
}

/**
 * Rejects query parameters a route does not know, naming the ones it does: a misspelled filter would otherwise
 * be ignored silently and answer a different question than the one asked.
 */
export function rejectUnknownParams(c: Ctx, known: readonly string[], hint?: string): void {
  const unknown = Object.keys(c.req.queries()).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new CalltroveError(
      'bad_request',
      `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`,
      {
        hint: hint ?? `valid parameters: ${known.join(', ')}`,
      },
    );
}

/** Writes one audit event for an investigator's read of EUII (the local admin included). */
export async function auditRead(
  c: Ctx,
  deps: RouteDeps,
  action: AuditAction,
  resource: string,
  count?: number,
): Promise<void> {
  const p = c.get('principal');
  await deps.audit({
    at: new Date(deps.clock.now()).toISOString(),
    action,
    role: p.role,
    via: p.via,
    tokenId: p.tokenId,
    resource,
    ...(count !== undefined ? { count } : {}),
  });
}
