import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, graphEndpoints, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses defaults when nothing is set, and freezes the result', () => {
    const c = loadConfig({ env: {} });
    expect(c.databaseUrl).toBe('./data/calltrove.db');
    expect(c.privacy.euiiDays).toBe(28);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.privacy)).toBe(true);
  });
  it('reads the allowed host names from CALLTROVE_ALLOWED_HOSTS and refuses URLs in their place', () => {
    const c = loadConfig({
      env: {
        CALLTROVE_ALLOWED_HOSTS: ' calltrove.corp.example , [::1]:3000,',
        CALLTROVE_API_TOKEN: 'x'.repeat(16),
      },
    });
    expect(c.api.allowedHosts).toEqual(['calltrove.corp.example', '[::1]:3000']);
    expect(c.api.tokens).toHaveLength(1);
    expect(() => loadConfig({ env: { CALLTROVE_ALLOWED_HOSTS: 'https://calltrove.corp.example/' } })).toThrow(
      /api\.allowedHosts\.0: a host name such as/,
    );
  });
  it('layers file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ databaseUrl: 'from-file.db', tenantId: 'file-tenant', privacy: { euiiDays: 7 } }),
    );
    const c = loadConfig({
      env: { CALLTROVE_TENANT_ID: 'env-tenant' },
      file,
      overrides: { databaseUrl: 'flag.db' },
    });
    expect(c.databaseUrl).toBe('flag.db');
    expect(c.tenantId).toBe('env-tenant');
    expect(c.privacy.euiiDays).toBe(7);
    expect(c.privacy.recordDays).toBe(400);
  });
  it('says which setting is wrong', () => {
    expect(() => loadConfig({ env: { CALLTROVE_LISTEN: 'nope' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { CALLTROVE_LISTEN: 'nope' } })).toThrow(/listen: use host:port/);
  });
  it('says an API token from the environment is too short, naming the variables and never the token', () => {
    const short = 'short-secret-1';
    let message = '';
    try {
      loadConfig({ env: { CALLTROVE_API_TOKEN: short } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('an API token needs at least 16 characters (CALLTROVE_API_TOKEN');
    expect(message.includes(short)).toBe(false);
  });
  it('picks national cloud endpoints by name', () => {
    expect(graphEndpoints(loadConfig({ env: {} })).graphUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(graphEndpoints(loadConfig({ env: { CALLTROVE_CLOUD: 'usgov' } })).authorityUrl).toBe(
      'https://login.microsoftonline.us',
    );
  });
});
