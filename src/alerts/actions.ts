// What people do to alerts, from the CLI, the API or the dashboard: acknowledge, mute for a while, unmute, test a
// channel. Each says plainly what was wrong with the request.
import { parseDuration } from '../config/alerts-config.ts';
import type { Config } from '../config/config.ts';
import { CalltroveError } from '../errors.ts';
import type { AlertMute, StoredAlert } from '../store/alerts.ts';
import type { Store } from '../store/store.ts';
import { type Channel, DeliveryError } from './channels/channel.ts';
import type { AlertMessage } from './message.ts';
import { resolveRules } from './rules.ts';

export async function acknowledgeAlert(
  store: Store,
  id: number,
  actor: string,
  now: number,
): Promise<StoredAlert> {
  const a = await store.alerts.acknowledge(id, actor, now);
  if (!a)
    throw new CalltroveError('not_found', `no alert ${id}`, {
      hint: 'list alerts with `calltrove alerts list --all`',
    });
  if (a.state !== 'firing')
    throw new CalltroveError('conflict', `alert ${id} is already resolved`, {
      hint: 'only a firing alert can be acknowledged',
    });
  return a;
}

/**
 * Mutes an alert's rule and scope (`target` an alert id), a rule and scope (`rule:scope key`), or a whole rule
 * (`rule`), for `duration` (15m, 2h, 7d).
 */
export async function muteAlerts(
  store: Store,
  config: Config,
  target: string,
  duration: string,
  actor: string,
  now: number,
): Promise<AlertMute> {
  const ms = parseDuration(duration);
  if (ms === null || ms <= 0 || ms > 90 * 86_400_000)
    throw new CalltroveError('bad_request', `bad mute duration "${duration}"`, {
      hint: 'give how long as 30m, 4h or 7d (at most 90 days)',
    });
  let ruleId: string;
  let scopeKey = '*';
  if (/^\d+$/.test(target)) {
    const a = await store.alerts.get(Number(target));
    if (!a)
      throw new CalltroveError('not_found', `no alert ${target}`, {
        hint: 'see `calltrove alerts list --all`',
      });
    ruleId = a.ruleId;
    scopeKey = a.scopeKey;
  } else {
    const i = target.indexOf(':');
    ruleId = i < 0 ? target : target.slice(0, i);
    if (i >= 0) scopeKey = target.slice(i + 1);
    const rules = resolveRules(config.alerts);
    if (!rules.some((r) => r.id === ruleId))
      throw new CalltroveError('not_found', `no rule "${ruleId}"`, {
        hint: `rules: ${rules.map((r) => r.id).join(', ')}; or give an alert id`,
      });
  }
  return store.alerts.mute({ ruleId, scopeKey, untilAt: now + ms, actor }, now);
}

/** Sends a test message to one channel now (not through the outbox) and says whether it arrived. */
export async function testChannel(
  channels: ReadonlyMap<string, Channel>,
  name: string,
  now: number,
): Promise<Channel> {
  const channel = channels.get(name);
  if (!channel)
    throw new CalltroveError('not_found', `no alert channel named "${name}"`, {
      hint: channels.size
        ? `channels: ${[...channels.keys()].join(', ')}`
        : 'add one under alerts.channels in the config file (docs/alerts.md)',
    });
  const message: AlertMessage = {
    alertId: 0,
    key: 'test/channel',
    event: 'test',
    state: 'firing',
    rule: 'test',
    ruleName: 'Channel test',
    severity: 'info',
    title: `Test message from calltrove to channel "${name}"`,
    scope: { key: 'test', label: 'this channel' },
    value: null,
    threshold: null,
    unit: '',
    since: new Date(now).toISOString(),
    resolvedAt: null,
    explanation: 'If you can read this, calltrove alerts reach this channel. Nothing is wrong.',
    url: null,
    figures: [{ name: 'Channel', value: `${name} (${channel.type})` }],
  };
  try {
    await channel.send(message, { id: `test-${now}`, sentAt: new Date(now).toISOString() });
  } catch (err) {
    const why = err instanceof DeliveryError ? err.message : channel.mask((err as Error).message);
    throw new CalltroveError('unavailable', `the channel "${name}" did not take the test message: ${why}`, {
      hint: 'check the channel settings in alerts.channels (docs/alerts.md walks through each type)',
    });
  }
  return channel;
}
