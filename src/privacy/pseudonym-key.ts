// The pseudonymization key file: secrets kept outside the database, created 0600 on first use, rotatable.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.ts';
import { CalltroveError } from '../errors.ts';

export interface PseudonymKey {
  /** `k1`, `k2`, ...: written into every token so tokens of different keys are never mistaken for each other. */
  id: string;
  secret: Buffer;
  createdAt: string;
}

export interface Keyring {
  readonly file: string;
  /** The key new tokens are made with. */
  readonly current: PseudonymKey;
  /** Every key still held, oldest first (older ones let an investigator find a person's older tokens). */
  readonly keys: readonly PseudonymKey[];
}

const format = 'calltrove-pseudonym-keys/1';

interface KeyFile {
  format: string;
  current: string;
  keys: { id: string; secret: string; createdAt: string }[];
}

function newKey(id: string, now: number): PseudonymKey {
  return { id, secret: randomBytes(32), createdAt: new Date(now).toISOString() };
}

function write(file: string, current: string, keys: readonly PseudonymKey[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const body: KeyFile = {
    format,
    current,
    keys: keys.map((k) => ({ id: k.id, secret: k.secret.toString('base64'), createdAt: k.createdAt })),
  };
  // Written beside and renamed over, so a crash never leaves half a key file; 0600 from the first byte.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function read(file: string): Keyring {
  const mode = statSync(file).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new CalltroveError('config', `the pseudonym key file ${file} is readable by other users`, {
      hint: `restrict it with: chmod 600 ${file}`,
    });
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  } catch {
    throw new CalltroveError('config', `the pseudonym key file ${file} is not valid JSON`, {
      hint: 'restore it from a backup; a new file would break grouping with every existing token',
    });
  }
  const keys = (parsed.keys ?? []).map((k) => ({
    id: String(k.id),
    secret: Buffer.from(String(k.secret), 'base64'),
    createdAt: String(k.createdAt),
  }));
  const current = keys.find((k) => k.id === parsed.current);
  if (parsed.format !== format || !current || keys.some((k) => k.secret.length < 16))
    throw new CalltroveError('config', `the pseudonym key file ${file} is not a calltrove key file`, {
      hint: 'check privacy.keyFile in the configuration',
    });
  return { file, current, keys };
}

const defaultKeyFile = './data/pseudonym.key';

/**
 * Where the key file is: privacy.keyFile; left at its default with a SQLite database elsewhere than ./data,
 * beside that database file (never inside it), so each store keeps its own key.
 */
export function keyFileOf(config: Config): string {
  const file = config.privacy.keyFile;
  const db = config.databaseUrl;
  if (file !== defaultKeyFile || /^postgres(ql)?:\/\//i.test(db) || db === ':memory:') return file;
  return join(dirname(db.replace(/^sqlite:(\/\/)?/i, '')), 'pseudonym.key');
}

/** Reads the key file, creating it with a fresh random key the first time. */
/** `now`: when a key made on first use is dated (the clock's time). */
export function loadKeyring(file: string, now: number): Keyring {
  if (!existsSync(file)) {
    const key = newKey('k1', now);
    write(file, key.id, [key]);
  }
  return read(file);
}

/**
 * Adds a new key and makes it current: tokens made from now on differ from the old ones for the same person.
 * With forgetOld, older keys are destroyed: their tokens can never again be linked to anyone.
 */
export function rotateKey(file: string, options: { now: number; forgetOld?: boolean }): Keyring {
  const ring = loadKeyring(file, options.now);
  const next = Math.max(...ring.keys.map((k) => Number(k.id.slice(1)) || 0)) + 1;
  const key = newKey(`k${next}`, options.now);
  write(file, key.id, options.forgetOld ? [key] : [...ring.keys, key]);
  return read(file);
}
