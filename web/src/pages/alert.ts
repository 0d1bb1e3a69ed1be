// One alert: what it says, its history (fired, updated, held, acknowledged, resolved) and each message's delivery
// per channel, so an admin can see whether the on-call channel was told and when.
import type { AlertDetailBody } from '../../../src/server/api-types.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { card, h, when } from '../ui/dom.ts';
import { table } from '../ui/table.ts';
import { severityBadge, withUnit } from './alerts.ts';

const at = (ms: number | null): string => (ms === null ? '–' : when(new Date(ms).toISOString()));

type Event = AlertDetailBody['events'][number];
type Delivery = AlertDetailBody['deliveries'][number];

export const alertPage: Page = {
  title: 'Alert',
  async render(ctx) {
    const id = ctx.params[0];
    const { alert: a, events, deliveries } = await get<AlertDetailBody>(`/alerts/${encodeURIComponent(id)}`);
    const facts: [string, string][] = [
      ['State', a.state === 'firing' ? 'firing' : `resolved ${at(a.resolvedAt)} UTC`],
      ['Scope', a.scopeLabel],
      ['Rule', a.ruleId],
      ['Value', withUnit(a.value, a.unit)],
      ['Threshold', withUnit(a.threshold, a.unit)],
      ['Worst', withUnit(a.peakValue, a.unit)],
      ['Since', `${at(a.startedAt)} UTC`],
      ['Acknowledged', a.ackedAt ? `${at(a.ackedAt)} UTC by ${a.ackedBy ?? '?'}` : 'no'],
    ];
    ctx.show(
      h('p', { class: 'crumbs' }, h('a', { href: ctx.link('alerts') }, 'Alerts'), ' › ', `#${a.id}`),
      h('h1', { 'data-alert-state': a.state }, severityBadge(a.severity), ' ', a.title),
      h('p', { class: 'lead' }, a.explanation),
      a.url ? h('p', null, h('a', { href: a.url }, 'The page that shows it')) : null,
      h(
        'dl',
        { class: 'facts' },
        facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))),
      ),
      card(
        'History',
        table<Event>({
          id: 'alert-events',
          caption: 'What happened to this alert',
          rows: events,
          columns: [
            { label: 'When (UTC)', value: (e) => at(e.at) },
            { label: 'What', value: (e) => e.kind },
            { label: 'Value', value: (e) => withUnit(e.value, a.unit), numeric: true },
            { label: 'By', value: (e) => e.actor ?? '–' },
            { label: 'Note', value: (e) => e.note ?? '' },
          ],
        }),
      ),
      card(
        'Messages',
        table<Delivery>({
          id: 'alert-deliveries',
          caption: 'Messages to the channels (the outbox)',
          empty: 'No message was queued (no channel, muted, or held until the repeat interval).',
          rows: deliveries,
          columns: [
            { label: 'Channel', value: (d) => d.channel },
            { label: 'State', value: (d) => d.state },
            { label: 'Attempts', value: (d) => d.attempts, numeric: true },
            { label: 'Queued (UTC)', value: (d) => at(d.createdAt) },
            { label: 'Delivered (UTC)', value: (d) => at(d.deliveredAt) },
            { label: 'Last error', value: (d) => d.lastError ?? '' },
          ],
        }),
      ),
    );
  },
};
