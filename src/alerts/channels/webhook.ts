// The `webhook` channel: one JSON POST per message, signed with HMAC-SHA256 when a secret is set, for PagerDuty,
// Opsgenie, Slack-style relays or a script of one's own (docs/alerts.md has the payload and how to verify it).
import { createHmac } from 'node:crypto';
import type { ChannelConfig } from '../../config/alerts-config.ts';
import type { AlertMessage } from '../message.ts';
import { type Channel, type Delivery, masker, postJson, shownUrl, urlSecrets } from './channel.ts';

type WebhookConfig = Extract<ChannelConfig, { type: 'webhook' }>;

/** The JSON body: the message as it is, with the delivery id and time. */
export function webhookPayload(m: AlertMessage, d: Delivery): Record<string, unknown> {
  return {
    id: d.id,
    source: 'calltrove',
    state: m.state,
    event: m.event,
    key: m.key,
    rule: m.rule,
    ruleName: m.ruleName,
    severity: m.severity,
    title: m.title,
    scope: m.scope,
    value: m.value,
    threshold: m.threshold,
    unit: m.unit,
    since: m.since,
    resolvedAt: m.resolvedAt,
    explanation: m.explanation,
    url: m.url,
    figures: m.figures,
    alertId: m.alertId,
    sentAt: d.sentAt,
  };
}

/** `sha256=<hex>` of the body under the secret, as the X-Calltrove-Signature-256 header carries it. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookChannel(c: WebhookConfig): Channel {
  const mask = masker([...urlSecrets(c.url), c.secret, ...Object.values(c.headers)]);
  return {
    name: c.name,
    type: 'webhook',
    target: shownUrl(c.url),
    mask,
    async send(message, delivery) {
      const body = JSON.stringify(webhookPayload(message, delivery));
      const headers: Record<string, string> = {
        ...c.headers,
        'user-agent': 'calltrove-alerts',
        'x-calltrove-delivery': delivery.id,
        'x-calltrove-event': message.event,
      };
      if (c.secret) headers['x-calltrove-signature-256'] = signatureOf(c.secret, body);
      await postJson(c.url, body, headers, c.timeout, mask);
    },
  };
}
