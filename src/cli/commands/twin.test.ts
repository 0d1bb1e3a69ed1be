// `calltrove twin`: starts an HTTPS twin, prints where it is and the credentials, writes its certificate.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { CalltroveError } from '../../errors.ts';
import { twinDefaults } from '../../twin/twin.ts';
import { startTwin, type TwinCommandOptions } from './twin.ts';

const base = (dir: string): TwinCommandOptions => ({
  port: '0',
  host: '127.0.0.1',
  seed: '3',
  users: '30',
  days: '2',
  speed: '0',
  faults: 'none',
  certOut: join(dir, 'certs', 'twin-ca.pem'),
  buildingsOut: join(dir, 'buildings.csv'),
});

describe('calltrove twin', () => {
  it('prints the authority, Graph URL and credentials, writes the certificate and building file, serves HTTPS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-twin-cli-'));
    let printed = '';
    const running = await startTwin(base(dir), (text) => {
      printed += text;
    });
    try {
      const { url } = running.listener;
      expect(printed).toContain(`authority      ${url}/${twinDefaults.tenantId}`);
      expect(printed).toContain(`graph          ${url}/v1.0`);
      expect(printed).toContain(twinDefaults.clientId);
      expect(printed).toContain(twinDefaults.clientSecret);
      expect(printed).toContain('time frozen');
      const ca = readFileSync(join(dir, 'certs', 'twin-ca.pem'), 'utf8');
      expect(ca).toContain('BEGIN CERTIFICATE');
      expect(readFileSync(join(dir, 'buildings.csv'), 'utf8').split('\n')[0].split(',')).toHaveLength(15);
      const agent = new Agent({ connect: { ca } });
      const meta = await fetch(`${url}/${twinDefaults.tenantId}/v2.0/.well-known/openid-configuration`, {
        dispatcher: agent,
      });
      expect(((await meta.json()) as { token_endpoint: string }).token_endpoint).toBe(
        `${url}/${twinDefaults.tenantId}/oauth2/v2.0/token`,
      );
      await agent.close();
    } finally {
      await running.stop();
    }
  });

  it('refuses bad options with a message naming the option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-twin-cli-'));
    await expect(startTwin({ ...base(dir), faults: 'chaos' }, () => {})).rejects.toThrow(
      /--faults must be none, flaky or storm/,
    );
    await expect(startTwin({ ...base(dir), users: 'many' }, () => {})).rejects.toBeInstanceOf(CalltroveError);
  });
});
