// The `teams` channel: an Adaptive Card posted to a Teams channel through a Workflows (Power Automate) webhook
// ("Send webhook alerts to a channel"): title, severity, the figures against the target, explanation, a link.
import type { ChannelConfig } from '../../config/alerts-config.ts';
import type { AlertMessage } from '../message.ts';
import { type Channel, type Delivery, masker, postJson, shownUrl, urlSecrets } from './channel.ts';

type TeamsConfig = Extract<ChannelConfig, { type: 'teams' }>;

const colour = { critical: 'Attention', warning: 'Warning', info: 'Accent' } as const;

/** The Adaptive Card (schema 1.4, what Teams renders from Workflows) for one message. */
export function adaptiveCard(m: AlertMessage, d: Delivery): Record<string, unknown> {
  const resolved = m.state === 'resolved';
  const head = resolved
    ? `RESOLVED · ${m.severity.toUpperCase()}`
    : `${m.event === 'updated' ? 'WORSE' : 'FIRING'} · ${m.severity.toUpperCase()}`;
  const facts = [
    ...m.figures.map((f) => ({ title: f.name, value: f.value })),
    { title: 'Scope', value: m.scope.label },
    { title: 'Since', value: m.since },
    ...(m.resolvedAt ? [{ title: 'Resolved at', value: m.resolvedAt }] : []),
    { title: 'Rule', value: `${m.ruleName} (${m.rule})` },
  ];
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body: [
      {
        type: 'TextBlock',
        text: head,
        weight: 'Bolder',
        size: 'Small',
        color: resolved ? 'Good' : colour[m.severity],
        wrap: true,
      },
      { type: 'TextBlock', text: m.title, weight: 'Bolder', size: 'Large', wrap: true },
      { type: 'FactSet', facts },
      { type: 'TextBlock', text: m.explanation, wrap: true },
      { type: 'TextBlock', text: `calltrove · delivery ${d.id}`, isSubtle: true, size: 'Small', wrap: true },
    ],
    ...(m.url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in calltrove', url: m.url }] } : {}),
  };
}

/** The body the Workflows trigger expects: a message with the card as its one attachment. */
export function teamsPayload(m: AlertMessage, d: Delivery): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: adaptiveCard(m, d),
      },
    ],
  };
}

export function teamsChannel(c: TeamsConfig): Channel {
  const mask = masker(urlSecrets(c.url));
  return {
    name: c.name,
    type: 'teams',
    target: shownUrl(c.url),
    mask,
    async send(message, delivery) {
      await postJson(c.url, JSON.stringify(teamsPayload(message, delivery)), {}, c.timeout, mask);
    },
  };
}
