// The one error family for problems a user can act on: a kind, a message and a hint saying what to do.
// What a kind means to a caller is decided once per transport: the exit code in src/cli/exit-codes.ts, the HTTP
// status in src/http/error-boundary.ts.
export type ErrorKind =
  /** A request or command line that is wrong as given (an unknown option value, a bad filter). */
  | 'bad_request'
  /** Input data that cannot be used (a file, a record, a row): the message says which and why. */
  | 'bad_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** A setting is missing or wrong (credentials, database URL, a port in use). */
  | 'config'
  /** Something calltrove depends on did not answer usably (Graph, the authority, a receiver) after retries. */
  | 'unavailable'
  /** The work ran but did not finish: the message says what is left and why (a backfill with records left). */
  | 'incomplete'
  /** The command answered, and the answer is "something is failing" (status, alert deliveries). */
  | 'failing'
  /** The output could not be written (disk full, no permission, a closed pipe). */
  | 'output'
  /** SIGINT or SIGTERM ended the work before it was done. */
  | 'interrupted'
  | 'internal';

/** @deprecated the same as ErrorKind (the name before kinds were documented). */
export type ErrorCode = ErrorKind;

export class CalltroveError extends Error {
  override name = 'CalltroveError';
  readonly kind: ErrorKind;
  readonly hint?: string;
  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.hint = options.hint;
  }
  /** The kind, under the name HTTP error bodies have always used (`{ error: { code } }`). */
  get code(): ErrorKind {
    return this.kind;
  }
}
