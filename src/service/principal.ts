// Who is asking, and what their role lets them see: the one place roles are turned into permissions.
import { CalltroveError } from '../errors.ts';

/** viewer: aggregates only. investigator: individual calls, users and EUII (every such read is audited). */
export type Role = 'viewer' | 'investigator';

export interface Principal {
  role: Role;
  /**
   * `token`: the API with a token. `local`: the API with no token configured, bound to loopback (the single local
   * admin, an investigator). `cli`: the command line, run by the database's owner.
   */
  via: 'token' | 'local' | 'cli';
  /** A non-secret fingerprint of the token (first 12 hex of its SHA-256), for audit records; null otherwise. */
  tokenId: string | null;
}

/** The command line: the database's owner, an investigator; `asViewer` answers as a viewer would be answered. */
export function cliPrincipal(asViewer = false): Principal {
  return { role: asViewer ? 'viewer' : 'investigator', via: 'cli', tokenId: null };
}

/** What a role may do, named by purpose so the service reads as rules rather than role comparisons. */
export const permissions = {
  /** Individual calls, users, per-user rows: end-user identifiable information. */
  seeIndividuals: (p: Principal): boolean => p.role === 'investigator',
  /** Groups smaller than privacy.minGroupSize shown as they are, rather than folded into "other". */
  seeSmallGroups: (p: Principal): boolean => p.role === 'investigator',
  /** Acknowledge and mute alerts (everyone may see them: alerts never name an individual). */
  handleAlerts: (p: Principal): boolean => p.role === 'investigator',
} as const;

/** Throws forbidden unless the caller may see individual calls and users. */
export function requireIndividuals(p: Principal, what: string): void {
  if (!permissions.seeIndividuals(p))
    throw new CalltroveError('forbidden', `${what} need the investigator role`, {
      hint:
        p.via === 'cli'
          ? 'leave out --as-viewer: a viewer sees aggregates only'
          : 'a viewer token sees aggregates only; use an investigator token (CALLTROVE_API_TOKEN) for individual calls and users',
    });
}

/** Throws forbidden unless the caller may change what is stored (imports, the building map, retention). */
export function requireOwner(p: Principal, what: string): void {
  if (p.role !== 'investigator')
    throw new CalltroveError('forbidden', `${what} needs the investigator role`, {
      hint: 'changing what is stored is the database owner’s: run it from the command line without --as-viewer',
    });
}
