// The `email` channel: SMTP through nodemailer, STARTTLS required by default (or implicit TLS), with authentication;
// each message as plain text and HTML.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { ChannelConfig } from '../../config/alerts-config.ts';
import { CalltroveError } from '../../errors.ts';
import { type AlertMessage, valueText } from '../message.ts';
import { type Channel, type Delivery, DeliveryError, describeChannel, masker } from './channel.ts';

type EmailConfig = Extract<ChannelConfig, { type: 'email' }>;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );

export function emailSubject(m: AlertMessage): string {
  const state = m.state === 'resolved' ? 'RESOLVED' : m.event === 'updated' ? 'WORSE' : 'FIRING';
  return `[calltrove ${state} ${m.severity}] ${m.title}`;
}

export function emailText(m: AlertMessage, d: Delivery): string {
  const lines = [
    m.title,
    '',
    m.explanation,
    '',
    ...m.figures.map((f) => `${f.name}: ${f.value}`),
    `Value: ${valueText(m.value, m.unit)}${m.threshold !== null ? ` (threshold ${valueText(m.threshold, m.unit)})` : ''}`,
    `Scope: ${m.scope.label}`,
    `Since: ${m.since}`,
    ...(m.resolvedAt ? [`Resolved at: ${m.resolvedAt}`] : []),
    `Rule: ${m.ruleName} (${m.rule}), severity ${m.severity}`,
    ...(m.url ? ['', `Open in calltrove: ${m.url}`] : []),
    '',
    `-- calltrove alerts, delivery ${d.id}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function emailHtml(m: AlertMessage, d: Delivery): string {
  const row = (k: string, v: string) =>
    `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  return `<!doctype html><html><body style="font-family:sans-serif">
<p style="font-weight:bold;color:${m.state === 'resolved' ? '#107c10' : m.severity === 'critical' ? '#c50f1f' : '#8a6100'}">${escapeHtml(
    emailSubject(m)
      .replace(/^\[calltrove /, '')
      .replace(/\].*$/, ''),
  )}</p>
<h2>${escapeHtml(m.title)}</h2>
<p>${escapeHtml(m.explanation)}</p>
<table cellpadding="4">${[
    ...m.figures.map((f) => row(f.name, f.value)),
    row('Scope', m.scope.label),
    row('Since', m.since),
    ...(m.resolvedAt ? [row('Resolved at', m.resolvedAt)] : []),
    row('Rule', `${m.ruleName} (${m.rule})`),
  ].join('')}</table>
${m.url ? `<p><a href="${escapeHtml(m.url)}">Open in calltrove</a></p>` : ''}
<p style="color:#666;font-size:small">calltrove alerts, delivery ${escapeHtml(d.id)}</p>
</body></html>`;
}

export function emailChannel(c: EmailConfig): Channel {
  let ca: string | undefined;
  if (c.caFile)
    try {
      ca = readFileSync(c.caFile, 'utf8');
    } catch (err) {
      throw new CalltroveError('config', `alerts channel "${c.name}": cannot read caFile ${c.caFile}`, {
        hint: 'point caFile at a readable PEM file, or remove it to trust the system CAs',
        cause: err,
      });
    }
  const transport = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.security === 'tls',
    requireTLS: c.security === 'starttls',
    ignoreTLS: c.security === 'none',
    ...(c.user ? { auth: { user: c.user, pass: c.password ?? '' } } : {}),
    tls: ca ? { ca } : {},
    connectionTimeout: c.timeout,
    greetingTimeout: c.timeout,
    socketTimeout: c.timeout,
  });
  const mask = masker([
    c.password,
    c.user && c.password ? Buffer.from(`\0${c.user}\0${c.password}`).toString('base64') : undefined,
  ]);
  return {
    name: c.name,
    type: 'email',
    target: describeChannel(c).target,
    mask,
    async send(message, delivery) {
      try {
        await transport.sendMail({
          from: c.from,
          to: c.to,
          subject: emailSubject(message),
          text: emailText(message, delivery),
          html: emailHtml(message, delivery),
          headers: { 'X-Calltrove-Delivery': delivery.id },
          messageId: `<${delivery.id.replace(/[^A-Za-z0-9.-]/g, '-')}.${message.alertId}@calltrove>`,
        });
      } catch (err) {
        const e = err as Error & { code?: string; responseCode?: number };
        const what = e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'error');
        throw new DeliveryError(mask(`cannot send through ${c.host}:${c.port} (${what}): ${e.message}`));
      }
    },
    async close() {
      transport.close();
    },
  };
}
