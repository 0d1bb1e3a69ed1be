// The catalog-driven JSON scrub: expiry clears every planted value, pseudonymization tokenizes and truncates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expirePolicy, pseudonymizePolicy, type ScrubCounts, scrubJson } from './json-scrub.ts';
import { loadKeyring } from './pseudonym-key.ts';
import { createTokenizer, isToken } from './pseudonymize.ts';
import { ourTenant, person, plantedRecord, plantedStrings } from './test-records.ts';

const dir = mkdtempSync(join(tmpdir(), 'calltrove-scrub-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const record = plantedRecord({ id: 'call-1', users: [1, 2, 3], start: Date.UTC(2026, 0, 5, 9) });

function leaked(doc: unknown, planted: string[]): string[] {
  const text = JSON.stringify(doc);
  return planted.filter((p) => text.includes(p));
}

const ring = loadKeyring(join(dir, 'key.json'), 0);
const tokens = createTokenizer(ring, ourTenant);

describe('expiry scrub', () => {
  it('clears every planted value and keeps metrics, subnets and tenants', () => {
    const counts: ScrubCounts = new Map();
    const out = scrubJson(record, 'record', expirePolicy(tokens), counts) as Record<string, unknown>;
    expect(leaked(out, plantedStrings([1, 2, 3])).length).toBe(0);
    const text = JSON.stringify(out);
    expect(text).toContain('PT0.045S');
    expect(text).toContain('10.77.0.0');
    expect(text).toContain(ourTenant);
    expect(counts.get('sessions[].segments[].media[].callerNetwork.ipAddress')).toBe(2);
    expect(counts.get('sessions[].callee.feedback.text')).toBe(2);
    // User ids become tokens, so rollups rebuilt from old rows keep their per-user keys.
    const org = out.organizer_v2 as { id: string; identity: { user: Record<string, unknown> } };
    expect(org.id).toBe(tokens.token(person(1).id));
    expect(org.identity.user).toMatchObject({
      displayName: null,
      userPrincipalName: null,
      tenantId: ourTenant,
    });
  });

  it('never changes its input', () => {
    const before = JSON.stringify(record);
    scrubJson(record, 'record', expirePolicy(tokens));
    expect(JSON.stringify(record)).toBe(before);
  });
});

describe('pseudonymization', () => {
  const out = scrubJson(record, 'record', pseudonymizePolicy(tokens)) as Record<string, unknown>;

  it('leaves no planted identifier, and truncates addresses to their /24', () => {
    expect(leaked(out, plantedStrings([1, 2, 3])).length).toBe(0);
    const text = JSON.stringify(out);
    expect(text).toContain(`"ipAddress":"10.77.1.x"`);
    expect(text).toContain('"reflexiveIPAddress":"86.220.164.x"');
  });

  it('gives one person the same token wherever they appear', () => {
    const org = out.organizer_v2 as { id: string; identity: { user: { id: string } } };
    expect(isToken(org.id)).toBe(true);
    expect(org.identity.user.id).toBe(org.id);
    const sessions = out.sessions as { caller: { associatedIdentity: { id: string } } }[];
    expect(sessions[0].caller.associatedIdentity.id).toBe(org.id);
    expect(tokens.token(person(1).id.toUpperCase())).toBe(org.id);
  });

  it('is idempotent: a pseudonymized record pseudonymized again is unchanged', () => {
    expect(scrubJson(out, 'record', pseudonymizePolicy(tokens))).toEqual(out);
  });

  it('gives another tenant other tokens', () => {
    const other = createTokenizer(ring, 'another-tenant');
    expect(other.token(person(1).id)).not.toBe(tokens.token(person(1).id));
  });
});
