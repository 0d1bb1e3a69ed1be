// What every route handler gets: the service layer, the request's principal, and the small answer helpers
// (JSON or CSV, unknown-parameter checks) so each handler reads parse, ask the service, answer.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Logger } from '../config/logger.ts';
import { CalltroveError } from '../errors.ts';
import { type CsvColumn, toCsv } from '../format/csv.ts';
import type { Principal } from '../service/principal.ts';
import type { Service } from '../service/service.ts';
import { csvResponse } from './csv.ts';

export interface RouteDeps {
  service: Service;
  logger: Logger;
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
