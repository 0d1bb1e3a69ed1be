// The one error type for problems a user can act on: a code, an HTTP status, and a hint saying what to do.
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'bad_input'
  | 'config'
  | 'upstream'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  bad_input: 422,
  config: 500,
  upstream: 502,
  internal: 500,
};

export class CalltroveError extends Error {
  override name = 'CalltroveError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint?: string;
  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = statusOf[code];
    this.hint = options.hint;
  }
}
