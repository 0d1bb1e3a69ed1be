// The one health answer (GET /api/v1/health on every listener): the version, the database reached, and where a
// collector runs in the process, its status; 503 when something is failing.
import { createRequire } from 'node:module';

export const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export const healthPath = '/api/v1/health';

export type HealthStatus = 'ok' | 'warning' | 'failing';

export interface HealthSource {
  /** Checks the database answers; resolves to its dialect (Store.ping). */
  ping(): Promise<'sqlite' | 'postgres'>;
  /** The collector's status (src/collector/status.ts), where this process runs one; its fields join the answer. */
  collector?: () => Promise<{ health: HealthStatus } & object>;
}

export interface Health {
  status: HealthStatus;
  version: string;
  database: 'sqlite' | 'postgres';
}

/** The answer and its HTTP status; a database that does not answer throws (the error boundary answers 500). */
export async function healthOf(source: HealthSource): Promise<{ body: Health; httpStatus: 200 | 503 }> {
  const database = await source.ping();
  const collector = await source.collector?.();
  const status = collector?.health ?? 'ok';
  return {
    body: { ...collector, status, version, database },
    httpStatus: status === 'failing' ? 503 : 200,
  };
}
