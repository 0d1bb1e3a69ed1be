// Reads of individuals from the command line go to the audit log as the server's do (actor `cli`).
import type { Config } from '../config/config.ts';
import { createAuditSink } from '../privacy/audit.ts';
import type { Store } from '../store/store.ts';

export interface CliRead {
  /** The server's action names where they exist (`call.read`, `calls.list`, `quality.individuals`). */
  action: string;
  /** A call id, or the command's options as a query string (names in it are pseudonymized by the sink). */
  resource: string;
  count?: number;
  /** `calltrove call`: shown where the server shows its route. */
  command: string;
}

/**
 * Writes the audit entry before anything is printed: when it cannot be written the command fails, as the
 * server refuses a read it cannot audit.
 */
export async function auditCliRead(store: Store, config: Config, read: CliRead): Promise<void> {
  await createAuditSink({ db: store.db, config })({
    at: new Date().toISOString(),
    action: read.action,
    role: 'investigator',
    via: 'cli',
    tokenId: null,
    resource: read.resource,
    count: read.count,
    route: read.command,
  });
}

/** `since=...&limit=...` from a command's options (undefined ones left out), for an audit entry. */
export function optionsQuery(
  options: Record<string, string | number | boolean | string[] | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(options))
    if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  return q.toString();
}
