// Opening the database (and the service over it) for a command: a mistyped path or an unreachable server says
// which setting to fix.
import { existsSync } from 'node:fs';
import { type Clock, SystemClock } from '../clock/clock.ts';
import type { Config } from '../config/config.ts';
import {
  isKeyValueConnectionString,
  maskConnectionSecrets,
  shownDatabaseUrl,
} from '../config/connection-string.ts';
import { CalltroveError } from '../errors.ts';
import { createAuditSink } from '../privacy/audit.ts';
import { createService, type Service } from '../service/service.ts';
import { isPostgresUrl } from '../store/open-db.ts';
import { openStore, type Store } from '../store/store.ts';

/**
 * `read`: the command only looks at what is stored, so a SQLite file that does not exist is a mistake (a typo in
 * --db, the wrong folder), said as such instead of creating an empty database and answering "0 calls".
 * `write`: import, serve and the like create the database on first use.
 */
export async function openCommandStore(config: Config, use: 'read' | 'write'): Promise<Store> {
  const url = config.databaseUrl;
  // A libpq key=value string would otherwise be taken for a SQLite file name (and created as one).
  if (isKeyValueConnectionString(url))
    throw new CalltroveError('config', `the database setting ${shownDatabaseUrl(url)} is not a URL`, {
      hint: 'write a PostgreSQL database as a URL: postgres://user:password@host:5432/database (percent-encode special characters in the password), or give a SQLite file path',
    });
  if (use === 'read' && !isPostgresUrl(url)) {
    const file = url.replace(/^sqlite:(\/\/)?/i, '');
    if (file !== ':memory:' && !existsSync(file))
      throw new CalltroveError('not_found', `no database at ${file}`, {
        hint: 'import call records first (calltrove import <files>), or point --db or CALLTROVE_DATABASE_URL at your database (default ./data/calltrove.db)',
      });
  }
  try {
    return await openStore(url);
  } catch (err) {
    if (err instanceof CalltroveError) throw err;
    throw new CalltroveError(
      'config',
      `cannot open the database ${shownDatabaseUrl(url)}: ${maskConnectionSecrets((err as Error).message)}`,
      {
        hint: 'check --db or CALLTROVE_DATABASE_URL: a writable SQLite file path, or a postgres:// URL of a reachable server with valid credentials',
        cause: err,
      },
    );
  }
}

/**
 * The service layer over the command's store: the command line answers as the database's owner, and its reads
 * of individuals go to the store's audit log as the server's do. close() closes the store.
 */
export async function openCommandService(
  config: Config,
  use: 'read' | 'write',
  clock: Clock = new SystemClock(),
): Promise<{ service: Service; close(): Promise<void> }> {
  const store = await openCommandStore(config, use);
  const service = createService({ store, config, clock, audit: createAuditSink({ store, config }) });
  return { service, close: () => store.close() };
}
