// The teams and email channels against real receivers: the Workflows body with an Adaptive Card the adaptivecards
// library accepts without a warning, and mail through a local SMTP server that requires STARTTLS and a password.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { createCertificate } from '../../twin/https.ts';
import type { AlertMessage } from '../message.ts';
import { startReceiver } from '../test-receiver.ts';
import { DeliveryError } from './channel.ts';
import { createChannels } from './index.ts';

// The library's UMD bundle (its ES build imports files without extensions, which Node's ESM loader refuses).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** Every parse or validation complaint of the Adaptive Cards library about a card (none for a valid one). */
function cardProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(json, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(ctx.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) out.push(e.message);
  return out;
}

interface Card {
  type: string;
  version: string;
  body: { type: string; facts?: { title: string; value: string }[] }[];
  actions?: unknown[];
}
interface WorkflowsBody {
  type: string;
  attachments: { contentType: string; content: Card }[];
}

const message = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  alertId: 7,
  key: 'audio-poor-rate/building:Beta',
  event: 'fired',
  state: 'firing',
  rule: 'audio-poor-rate',
  ruleName: 'Audio poor stream rate above the QER target',
  severity: 'warning',
  title: 'Audio poor stream rate 12.5% in Beta (target 3%)',
  scope: { key: 'building:Beta', label: 'Beta' },
  value: 12.5,
  threshold: 3,
  unit: '%',
  since: '2026-01-15T09:00:00.000Z',
  resolvedAt: null,
  explanation: '50 of 400 classified audio streams in Beta were poor in the last 4 hours.',
  url: 'https://calltrove.example.com/#/locations',
  figures: [
    { name: 'Audio poor stream rate', value: '12.5% (target 3%)' },
    { name: 'Classified audio streams', value: '400' },
  ],
  ...over,
});

const channelsOf = (channels: unknown[]) =>
  createChannels(loadConfig({ overrides: { alerts: { channels } } as never }).alerts.channels);

describe('teams channel', () => {
  it('posts a Workflows message whose Adaptive Card is valid and carries title, severity, figures and link', async () => {
    const receiver = await startReceiver(202);
    try {
      const teams = channelsOf([
        { name: 'teams', type: 'teams', url: `${receiver.url}?sig=SIGNATURE-abc123` },
      ]).get('teams');
      await teams?.send(message(), { id: '12:teams', sentAt: '2026-01-15T09:00:05.000Z' });
      await teams?.send(
        message({ event: 'resolved', state: 'resolved', resolvedAt: '2026-01-15T11:00:00.000Z' }),
        {
          id: '13:teams',
          sentAt: '2026-01-15T11:00:05.000Z',
        },
      );
      expect(receiver.received.map((r) => r.status)).toEqual([202, 202]);
      const [fired, resolved] = receiver.received.map((r) => JSON.parse(r.body) as WorkflowsBody);
      expect(fired.type).toBe('message');
      expect(fired.attachments).toHaveLength(1);
      expect(fired.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
      const card = fired.attachments[0].content;
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
      expect(cardProblems(card)).toEqual([]);
      expect(cardProblems(resolved.attachments[0].content)).toEqual([]);
      const text = JSON.stringify(card);
      expect(text).toContain('FIRING · WARNING');
      expect(text).toContain('Audio poor stream rate 12.5% in Beta (target 3%)');
      expect(card.body.find((b) => b.type === 'FactSet')?.facts).toContainEqual({
        title: 'Audio poor stream rate',
        value: '12.5% (target 3%)',
      });
      expect(text).toContain('50 of 400 classified audio streams');
      expect(card.actions).toEqual([
        {
          type: 'Action.OpenUrl',
          title: 'Open in calltrove',
          url: 'https://calltrove.example.com/#/locations',
        },
      ]);
      expect(JSON.stringify(resolved)).toContain('RESOLVED · WARNING');
      // The card validator catches what Teams would refuse (proof it checks anything at all).
      expect(cardProblems({ ...card, body: [{ type: 'TextBlock', text: 'x', color: 'Red' }] })).not.toEqual(
        [],
      );
    } finally {
      await receiver.close();
    }
  });

  it('never shows the signature of the Workflows URL: not in its target, not in an error', async () => {
    const receiver = await startReceiver(500);
    try {
      const teams = channelsOf([
        { name: 'teams', type: 'teams', url: `${receiver.url}?sig=SIGNATURE-abc123` },
      ]).get('teams');
      expect(teams?.target).not.toContain('SIGNATURE');
      const err = await teams?.send(message(), { id: '1:teams', sentAt: 'now' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(String((err as Error).message)).toMatch(/answered HTTP 500/);
      expect(String((err as Error).message)).not.toMatch(/SIGNATURE|secret-path-token/);
    } finally {
      await receiver.close();
    }
  });
});

describe('email channel', () => {
  let server: SMTPServer;
  let port: number;
  let dir: string;
  const mails: { raw: string; secure: boolean; user: string | undefined }[] = [];
  beforeAll(async () => {
    const { cert, key } = await createCertificate('127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'calltrove-smtp-'));
    writeFileSync(join(dir, 'ca.pem'), cert);
    server = new SMTPServer({
      key,
      cert,
      authMethods: ['PLAIN', 'LOGIN'],
      // Authentication is refused before STARTTLS (smtp-server's default), so a password never travels in clear.
      onAuth(auth, _session, cb) {
        if (auth.username === 'alerts@contoso.example' && auth.password === 'smtp-Pa55word!')
          return cb(null, { user: auth.username });
        return cb(new Error('Invalid username or password'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            raw: Buffer.concat(chunks).toString('utf8'),
            secure: session.secure,
            user: session.user as string,
          });
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const email = (password: string) =>
    channelsOf([
      {
        name: 'mail',
        type: 'email',
        host: '127.0.0.1',
        port,
        user: 'alerts@contoso.example',
        password,
        from: 'calltrove <alerts@contoso.example>',
        to: ['uc-team@contoso.example'],
        caFile: join(dir, 'ca.pem'),
      },
    ]).get('mail');

  it('sends plain text and HTML over STARTTLS with authentication', async () => {
    const mail = email('smtp-Pa55word!');
    await mail?.send(message(), { id: '12:mail', sentAt: '2026-01-15T09:00:05.000Z' });
    await mail?.close?.();
    expect(mails).toHaveLength(1);
    expect(mails[0].secure).toBe(true);
    expect(mails[0].user).toBe('alerts@contoso.example');
    const parsed = await simpleParser(mails[0].raw);
    expect(parsed.subject).toBe(
      '[calltrove FIRING warning] Audio poor stream rate 12.5% in Beta (target 3%)',
    );
    expect(parsed.text).toContain('50 of 400 classified audio streams in Beta were poor');
    expect(parsed.text).toContain('Audio poor stream rate: 12.5% (target 3%)');
    expect(parsed.text).toContain('Open in calltrove: https://calltrove.example.com/#/locations');
    expect(parsed.html).toContain('<h2>Audio poor stream rate 12.5% in Beta (target 3%)</h2>');
    expect(parsed.html).toContain('href="https://calltrove.example.com/#/locations"');
    expect(parsed.headers.get('x-calltrove-delivery')).toBe('12:mail');
  });

  it('says a refused login plainly, never with the password', async () => {
    const mail = email('wrong-Pa55word!');
    const err = await mail?.send(message(), { id: '13:mail', sentAt: 'now' }).catch((e: unknown) => e);
    await mail?.close?.();
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as Error).message).toMatch(/cannot send through 127\.0\.0\.1:\d+ \(SMTP 535\)/);
    expect((err as Error).message).not.toContain('wrong-Pa55word!');
  });
});
