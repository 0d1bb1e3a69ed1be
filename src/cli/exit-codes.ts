// The one mapping of an error's kind to the CLI's exit code; docs/exit-codes.md lists the same table for admins.
import type { ErrorKind } from '../errors.ts';

/** Exit codes by kind. 0 is success; 1 stays "failed" so scripts testing for non-zero keep working. */
export const exitCodeOf: Record<ErrorKind, number> = {
  internal: 1,
  not_found: 1,
  bad_input: 1,
  conflict: 1,
  failing: 1,
  bad_request: 2,
  config: 3,
  unauthorized: 4,
  forbidden: 4,
  unavailable: 5,
  incomplete: 6,
  output: 7,
  interrupted: 130,
};

/** Commander's own usage errors (unknown option, missing argument) are bad requests: exit 2. */
export const usageExitCode = exitCodeOf.bad_request;
