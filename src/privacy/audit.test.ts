// Audit entries: what the log keeps of a read (never the token, users as pseudonyms, lists sanitized).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { openStore } from '../store/store.ts';
import { auditEntry, createAuditSink } from './audit.ts';
import { loadKeyring } from './pseudonym-key.ts';
import { createTokenizer } from './pseudonymize.ts';
import { ourTenant, person } from './test-records.ts';

const t0 = Date.UTC(2026, 0, 5, 9);

describe('audit entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-audit-e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tokens = createTokenizer(loadKeyring(join(dir, 'k.key'), t0), ourTenant);

  it('keeps no e-mail, address or search text of a list query', () => {
    const e = auditEntry(
      {
        at: new Date(t0).toISOString(),
        action: 'calls.list',
        role: 'investigator',
        via: 'token',
        tokenId: 'abc',
        resource: `?q=${encodeURIComponent(person(3).name)}&ip=${person(3).ip}&limit=10&owner=${person(3).upn}`,
        count: 4,
      },
      tokens,
    );
    for (const v of [person(3).name, person(3).ip, person(3).upn])
      expect(JSON.stringify(e).includes(v), 'an EUII value is present').toBe(false);
    expect(e.subject).toContain('limit=10');
    expect(e.rowsReturned).toBe(4);
  });

  it('the sink writes one row per read, found again by the user under every key held', async () => {
    const config = loadConfig({
      env: {},
      overrides: { databaseUrl: join(dir, 'a.db'), tenantId: ourTenant },
    });
    const store = await openStore(config.databaseUrl);
    try {
      await createAuditSink({ store, config })({
        at: new Date(t0).toISOString(),
        action: 'user.calls',
        role: 'investigator',
        via: 'local',
        tokenId: null,
        resource: person(4).id,
        count: 2,
      });
      const tokens = createTokenizer(loadKeyring(join(dir, 'pseudonym.key'), t0), ourTenant);
      const [entry] = await store.audit.list({ subjects: tokens.allTokens(person(4).id) });
      expect(entry).toMatchObject({
        actor: 'local',
        action: 'user.calls',
        subjectKind: 'user',
        rowsReturned: 2,
      });
      expect(
        JSON.stringify(await store.db.all('SELECT * FROM audit_log')).includes(person(4).id),
        'an EUII value is present',
      ).toBe(false);
    } finally {
      await store.close();
    }
  });
});
