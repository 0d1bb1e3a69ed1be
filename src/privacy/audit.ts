// The audit hook the server calls on every investigator read of EUII: writes the audit log, never EUII itself.
import type { Config } from '../config/config.ts';
import type { AuditEntry } from '../store/audit-log.ts';
import type { Store } from '../store/store.ts';
import { pseudonymizeText } from './json-scrub.ts';
import { keyFileOf, loadKeyring } from './pseudonym-key.ts';
import { createTokenizer, type Tokenizer } from './pseudonymize.ts';

/** One read as the service layer reports it (src/service/policy.ts builds it). */
export interface EuiiRead {
  /** ISO time. */
  at: string;
  action: string;
  role: string;
  via: string;
  /** Token fingerprint, null for the local admin. */
  tokenId: string | null;
  /** A call id, a user id, or the query string of a list. */
  resource: string;
  count?: number;
  /** The route pattern, when the server passes it. */
  route?: string;
  reason?: string;
}

/** What each audited read is about, and where it is served: the API's route pattern, the CLI's command. */
const routes: Record<string, { kind: 'call' | 'user' | 'query'; api: string | null; cli: string | null }> = {
  'call.read': { kind: 'call', api: '/api/v1/calls/{id}', cli: 'calltrove call' },
  'calls.list': { kind: 'query', api: '/api/v1/calls', cli: 'calltrove calls' },
  'users.list': { kind: 'query', api: '/api/v1/users', cli: null },
  'user.calls': { kind: 'user', api: '/api/v1/users/{id}/calls', cli: 'calltrove calls --user' },
  'user.read': { kind: 'user', api: '/api/v1/users/{id}', cli: null },
  'quality.individuals': { kind: 'query', api: '/api/v1/quality', cli: 'calltrove report quality' },
  'feedback.read': { kind: 'query', api: '/api/v1/feedback', cli: null },
  'export.table': { kind: 'query', api: null, cli: 'calltrove export' },
  'pstn.calls': { kind: 'query', api: '/api/v1/pstn/calls', cli: 'calltrove report pstn-calls' },
  'directRouting.calls': {
    kind: 'query',
    api: '/api/v1/direct-routing/calls',
    cli: 'calltrove report pstn-calls --direct-routing',
  },
};

/**
 * A list's query string with anything personal made a pseudonym: every value of a parameter that names or
 * searches for people is tokenized, addresses and e-mails elsewhere are pseudonymized in place.
 */
export function sanitizeQuery(search: string, tokens: Tokenizer): string {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const out = new URLSearchParams();
  for (const [k, v] of params)
    out.append(
      k,
      /^(q|search|user|users|userid|upn|name|participant|organizer)$/i.test(k)
        ? tokens.token(v)
        : pseudonymizeText(v, tokens),
    );
  return out.toString();
}

/** The audit entry of one read: users appear as their pseudonym token, lists by their sanitized query. */
export function auditEntry(e: EuiiRead, tokens: Tokenizer): AuditEntry {
  const known = routes[e.action];
  const kind = known?.kind ?? 'query';
  const subject =
    kind === 'call'
      ? e.resource
      : kind === 'user'
        ? tokens.token(e.resource)
        : sanitizeQuery(e.resource, tokens);
  return {
    at: Number.isFinite(Date.parse(e.at)) ? Date.parse(e.at) : 0,
    actor: e.tokenId ? `token:${e.tokenId}` : e.via,
    role: e.role,
    via: e.via,
    action: e.action,
    subjectKind: kind,
    subject,
    route: e.route ?? (e.via === 'cli' ? known?.cli : known?.api) ?? null,
    reason: e.reason ? pseudonymizeText(e.reason, tokens) : null,
    rowsReturned: e.count ?? null,
  };
}

/**
 * The service layer's audit sink: `createService({ ..., audit: createAuditSink({ store, config }) })`. It throws
 * when the row cannot be written, and the read is then refused (no EUII leaves unaudited).
 */
export function createAuditSink(o: {
  store: Store;
  config: Config;
  tokenizer?: Tokenizer;
}): (e: EuiiRead) => Promise<void> {
  let tokens = o.tokenizer;
  return async (e) => {
    tokens ??= createTokenizer(loadKeyring(keyFileOf(o.config), Date.parse(e.at)), o.config.tenantId);
    await o.store.audit.record(auditEntry(e, tokens));
  };
}
