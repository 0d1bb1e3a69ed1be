// A read command on a database that is not there says so (and creates nothing); an unreachable server is named.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { CalltroveError } from '../errors.ts';
import { openCommandStore } from './open-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const configFor = (databaseUrl: string) => loadConfig({ overrides: { databaseUrl } });

it('refuses to read a SQLite file that does not exist, and creates nothing', async () => {
  const file = join(dir, 'typo', 'calltrove.bd');
  await expect(openCommandStore(configFor(file), 'read')).rejects.toMatchObject({
    code: 'not_found',
    message: `no database at ${file}`,
  });
  expect(existsSync(join(dir, 'typo'))).toBe(false);
  // Writing commands (import, serve) create it.
  const store = await openCommandStore(configFor(file), 'write');
  await store.close();
  expect(existsSync(file)).toBe(true);
  await (await openCommandStore(configFor(file), 'read')).close();
});

it('names an unreachable PostgreSQL server without its password', async () => {
  const url = 'postgres://calltrove:s3cret-pw@127.0.0.1:1/calltrove';
  const err = await openCommandStore(configFor(url), 'read').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CalltroveError);
  expect((err as CalltroveError).message).toMatch(
    /^cannot open the database postgres:\/\/calltrove:\*\*\*@127\.0\.0\.1:1\/calltrove: /,
  );
  expect((err as CalltroveError).message.includes('s3cret-pw')).toBe(false);
});

it('refuses a libpq key=value string instead of creating a SQLite file of that name', async () => {
  const dsn = 'host=127.0.0.1 port=1 user=calltrove password=kv-secret dbname=calltrove';
  const err = await openCommandStore(configFor(dsn), 'write').catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'config' });
  expect((err as CalltroveError).message).toBe(
    'the database setting host=127.0.0.1 port=1 user=calltrove password=*** dbname=calltrove is not a URL',
  );
  expect((err as CalltroveError).hint).toMatch(/postgres:\/\/user:password@host:5432\/database/);
  expect(existsSync(dsn)).toBe(false);
});
