// The privacy audit sink behind the real API: investigator reads of EUII recorded (without EUII), viewers refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { createAuditSink } from '../privacy/audit.ts';
import { loadKeyring } from '../privacy/pseudonym-key.ts';
import { createTokenizer } from '../privacy/pseudonymize.ts';
import { ourTenant, person, plantedRecord } from '../privacy/test-records.ts';
import { upsertPstnCalls } from '../store/pstn-logs.ts';
import { openStore, type Store } from '../store/store.ts';
import { createApp } from './app.ts';
import { tokenFingerprint } from './auth.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const t0 = Date.UTC(2026, 0, 5, 9);

describe('audit of EUII reads through the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-audit-'));
  let store: Store;
  const config = loadConfig({
    env: {},
    overrides: {
      tenantId: ourTenant,
      databaseUrl: join(dir, 'calltrove.db'),
      api: {
        tokens: [
          { token: investigator, role: 'investigator' },
          { token: viewer, role: 'viewer' },
        ],
      },
    },
  });
  let app: ReturnType<typeof createApp>;
  const get = (path: string, token: string) =>
    app.request(path, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    store = await openStore(config.databaseUrl);
    await ingestRecord(store, plantedRecord({ id: 'call-a', users: [1, 2], start: t0 }), {
      source: 'test',
      tenantId: ourTenant,
      receivedAt: t0,
    });
    app = createApp({ store, config, audit: createAuditSink({ store, config }), dashboardDir: false });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a viewer 403 on an individual call and records nothing', async () => {
    const res = await get('/api/v1/calls/call-a', viewer);
    expect(res.status).toBe(403);
    expect(await store.audit.list()).toEqual([]);
  });

  it("records an investigator's read: who (token fingerprint), what, which route, never the token", async () => {
    const res = await get('/api/v1/calls/call-a', investigator);
    expect(res.status).toBe(200);
    expect((await res.text()).includes(person(1).upn), 'the investigator sees the UPN').toBe(true);
    const [entry] = await store.audit.list();
    expect(entry).toMatchObject({
      actor: `token:${tokenFingerprint(investigator)}`,
      role: 'investigator',
      action: 'call.read',
      subjectKind: 'call',
      subject: 'call-a',
      route: '/api/v1/calls/{id}',
    });
    const all = JSON.stringify(await store.db.all('SELECT * FROM audit_log'));
    expect(all.includes(investigator), 'an EUII value is present').toBe(false);
  });

  it("records a user's calls by the user's pseudonym, and lists by a sanitized query", async () => {
    const res = await get(`/api/v1/users/${person(2).id}/calls`, investigator);
    expect(res.status).toBe(200);
    const entries = await store.audit.list({
      subjects: createTokenizer(loadKeyring(join(dir, 'pseudonym.key'), t0), ourTenant).allTokens(
        person(2).id,
      ),
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'user.calls', subjectKind: 'user' });
    expect(
      JSON.stringify(await store.db.all('SELECT * FROM audit_log')).includes(person(2).id),
      'an EUII value is present',
    ).toBe(false);
  });

  it('PSTN and Direct Routing calls one by one: viewers refused, investigator reads audited without EUII', async () => {
    const upn = person(1).upn;
    await upsertPstnCalls(
      store.db,
      [
        {
          id: 'p-1',
          userId: person(1).id,
          userPrincipalName: upn,
          startDateTime: new Date(t0).toISOString(),
          duration: 60,
          callType: 'user_out',
          inventoryType: 'Subscriber',
          charge: 0.2,
          connectionCharge: 0,
          currency: 'USD',
        },
      ],
      t0,
    );
    for (const path of ['/api/v1/pstn/calls', '/api/v1/direct-routing/calls'])
      expect((await get(path, viewer)).status, path).toBe(403);
    const res = await get(`/api/v1/pstn/calls?user=${encodeURIComponent(upn)}`, investigator);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { calls: { numberType: string; charge: number }[]; total: number };
    expect(list).toMatchObject({ total: 1, calls: [{ numberType: 'Subscriber', charge: 0.2 }] });
    const dr = await get('/api/v1/direct-routing/calls?since=2026-01-01', investigator);
    expect(dr.status).toBe(200);
    const entries = (await store.audit.list()).filter(
      (e) => e.action !== 'call.read' && e.action !== 'user.calls',
    );
    expect(entries.map((e) => [e.action, e.route])).toEqual(
      expect.arrayContaining([
        ['pstn.calls', '/api/v1/pstn/calls'],
        ['directRouting.calls', '/api/v1/direct-routing/calls'],
      ]),
    );
    expect(JSON.stringify(await store.db.all('SELECT * FROM audit_log')).includes(upn)).toBe(false);
  });
});
