// Makes the database a postgres:// URL names when the server lacks it (test and benchmark databases on a new
// machine), connecting to the server's `postgres` database to do so.
import pg from 'pg';

/** True once the database exists (made now, or made at the same moment by another process). */
export async function ensurePostgresDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (err) {
    // 42P04 duplicate_database, 23505 unique_violation: another process made it between the check and the create.
    const code = (err as { code?: string }).code;
    return code === '42P04' || code === '23505';
  } finally {
    await admin.end().catch(() => {});
  }
}
