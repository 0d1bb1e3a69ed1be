// Connection strings in messages: every form PostgreSQL accepts shows its host and user, never its password.
import { describe, expect, it } from 'vitest';
import { isKeyValueConnectionString, maskConnectionSecrets, shownDatabaseUrl } from './connection-string.ts';
import { connectionStringForms } from './test-connection-strings.ts';

describe('shownDatabaseUrl', () => {
  it('hides the password of every form and keeps what says which database', () => {
    for (const form of connectionStringForms) {
      const shown = shownDatabaseUrl(form.url);
      for (const secret of form.secrets) expect(shown, form.name).not.toContain(secret);
      expect(shown, form.name).toContain('***');
      expect(shown, form.name).toContain('127.0.0.1');
    }
  });

  it('reads as the admin wrote it, password aside', () => {
    expect(shownDatabaseUrl('postgres://calltrove:pw@db.example:5432/ct?sslmode=require')).toBe(
      'postgres://calltrove:***@db.example:5432/ct?sslmode=require',
    );
    expect(shownDatabaseUrl('postgres://:pw@db/ct')).toBe('postgres://:***@db/ct');
    expect(shownDatabaseUrl('postgres://db/ct?user=&password=pw&sslmode=require')).toBe(
      'postgres://db/ct?user=&password=***&sslmode=require',
    );
    expect(shownDatabaseUrl("host=db password='a b' dbname=ct")).toBe('host=db password=*** dbname=ct');
  });

  it('leaves what holds no password alone', () => {
    for (const same of [
      './data/calltrove.db',
      ':memory:',
      'postgres://calltrove@db.example:5432/ct',
      'postgres://db.example/ct?sslmode=require&pool_size=8',
    ])
      expect(shownDatabaseUrl(same)).toBe(same);
  });
});

describe('maskConnectionSecrets', () => {
  it('masks connection strings inside any text (error messages, stack traces, log lines)', () => {
    const text =
      'Error: connect postgres://u:top-secret@h/db failed\n  at x (?password=also-secret) {"url":"postgresql://:third-secret@h"}';
    const masked = maskConnectionSecrets(text);
    for (const s of ['top-secret', 'also-secret', 'third-secret']) expect(masked).not.toContain(s);
    expect(masked).toContain('Error: connect postgres://u:***@h/db failed');
    expect(maskConnectionSecrets('https://example.com/path@x')).toBe('https://example.com/path@x');
  });
});

describe('isKeyValueConnectionString', () => {
  it('tells libpq key=value strings from file paths and URLs', () => {
    expect(isKeyValueConnectionString('host=db dbname=ct')).toBe(true);
    expect(isKeyValueConnectionString('password=x')).toBe(true);
    expect(isKeyValueConnectionString('./data/calltrove.db')).toBe(false);
    expect(isKeyValueConnectionString('postgres://db/ct?user=u')).toBe(false);
  });
});
