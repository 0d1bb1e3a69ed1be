// The configured channels by name.
import type { ChannelConfig } from '../../config/alerts-config.ts';
import type { Channel } from './channel.ts';
import { emailChannel } from './email.ts';
import { teamsChannel } from './teams.ts';
import { webhookChannel } from './webhook.ts';

export function createChannel(c: ChannelConfig): Channel {
  if (c.type === 'webhook') return webhookChannel(c);
  if (c.type === 'teams') return teamsChannel(c);
  return emailChannel(c);
}

export function createChannels(configs: readonly ChannelConfig[]): Map<string, Channel> {
  return new Map(configs.map((c) => [c.name, createChannel(c)]));
}

export { describeChannel } from './channel.ts';
