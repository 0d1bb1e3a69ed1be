// THE place errors become HTTP responses, for every listener (the API and dashboard, the collector's webhook): a
// CalltroveError says what to do; anything else is a 500 without details, logged with its route.
import type { Context, Env, Hono, Schema } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import type { Logger } from '../config/logger.ts';
import { CalltroveError, type ErrorKind } from '../errors.ts';

/** The one mapping of an error's kind to an HTTP status (the CLI's exit codes are in src/cli/exit-codes.ts). */
export const httpStatusOf: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  bad_input: 422,
  config: 500,
  unavailable: 503,
  incomplete: 500,
  failing: 503,
  output: 500,
  interrupted: 503,
  internal: 500,
};

/** Every error answer's body. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

export function errorBody(err: CalltroveError): ErrorBody {
  return { error: { code: err.kind, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
}

/** Turns a zod failure into the message and hint a client can act on (field, problem). */
export function fromZod(err: ZodError): CalltroveError {
  const issue = err.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'input';
  return new CalltroveError('bad_request', `bad ${where}: ${issue?.message ?? 'invalid'}`, {
    hint:
      err.issues.length > 1
        ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : undefined,
  });
}

/** The answer to an error thrown while handling a request. */
export function errorResponse(err: unknown, c: Context, logger: Logger): Response {
  let known: CalltroveError | undefined;
  if (err instanceof CalltroveError) known = err;
  else if (err instanceof ZodError) known = fromZod(err);
  else if (err instanceof HTTPException && err.status < 500)
    known = new CalltroveError(
      err.status === 401 ? 'unauthorized' : 'bad_request',
      err.message || 'bad request',
    );
  const status = known ? httpStatusOf[known.kind] : 500;
  if (known && status < 500) return c.json(errorBody(known), status as 400);
  // The route pattern, never the concrete path or query: user ids and search text are EUII.
  logger.error({ err: known ?? err, route: c.req.routePath }, 'request failed');
  const shown =
    known ?? new CalltroveError('internal', 'internal error', { hint: 'the server log has the details' });
  return c.json(errorBody(shown), httpStatusOf[shown.kind] as 500);
}

/** Installs the error answer and a JSON 404 (with `notFoundHint` saying where things are) on an app. */
export function installErrorBoundary<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  logger: Logger,
  notFoundHint: string,
): void {
  app.onError((err, c) => errorResponse(err, c, logger));
  app.notFound((c) =>
    c.json(errorBody(new CalltroveError('not_found', 'not found', { hint: notFoundHint })), 404),
  );
}
