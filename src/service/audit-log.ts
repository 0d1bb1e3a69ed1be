// Who read end-user identifiable information: the audit log, searchable by a user as they were read (their
// pseudonym under every key still held), a call, an actor.
import { keyFileOf, loadKeyring } from '../privacy/pseudonym-key.ts';
import { createTokenizer } from '../privacy/pseudonymize.ts';
import type { StoredAuditEntry } from '../store/audit-log.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

export interface AuditLogQuery {
  since?: number;
  until?: number;
  /** Reads of this user's data (object id or UPN as it was read). */
  user?: string;
  /** Reads of this call. */
  call?: string;
  /** `token:<fingerprint>`, `local`, `cli`. */
  actor?: string;
  limit?: number;
}

/** Newest first. The log names users only by pseudonym, yet says which calls and users were read: investigators. */
export async function auditLog(s: Service, who: Principal, q: AuditLogQuery): Promise<StoredAuditEntry[]> {
  requireIndividuals(who, 'the audit log');
  const subjects = [
    ...(q.call ? [q.call] : []),
    ...(q.user
      ? createTokenizer(loadKeyring(keyFileOf(s.config), s.clock.now()), s.config.tenantId).allTokens(q.user)
      : []),
  ];
  return s.store.audit.list({
    since: q.since,
    until: q.until,
    actor: q.actor,
    subjects: q.user || q.call ? subjects : undefined,
    limit: q.limit,
  });
}
