// The Alerts view: what fires now, mutes, recent history, the rules in force (read-only) and the channels; an
// investigator acknowledges and mutes from here, a viewer only reads (the API refuses a viewer's changes too).
import type {
  AlertBody,
  AlertMuteBody,
  AlertRuleBody,
  AlertsOverviewBody,
} from '../../../src/server/api-types.ts';
import { get, send } from '../api.ts';
import type { Page, PageContext } from '../page.ts';
import { type Child, card, h, int, notice, when } from '../ui/dom.ts';
import { table } from '../ui/table.ts';

const at = (ms: number | null): string => (ms === null ? '–' : when(new Date(ms).toISOString()));

/** 90 → "1h 30m", 1440 → "24h", 0 → "–". */
export function minutesText(m: number): string {
  if (m <= 0) return '–';
  if (m % 1440 === 0 && m >= 2880) return `${m / 1440}d`;
  if (m < 60) return `${m}m`;
  return m % 60 === 0 ? `${m / 60}h` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** A value with its unit, as the rule states it: 4.2%, 3 h, 12 of poor streams. */
export function withUnit(v: number | null, unit: string): string {
  if (v === null) return '–';
  const n = Number.isInteger(v) ? String(v) : v.toFixed(1);
  return unit.startsWith('%') ? `${n}${unit}` : `${n} ${unit}`.trim();
}

export function severityBadge(severity: string): HTMLElement {
  return h('span', { class: `badge severity ${severity}`, 'data-severity': severity }, severity);
}

const muteChoices = [
  ['1h', '1 hour'],
  ['4h', '4 hours'],
  ['24h', '1 day'],
  ['7d', '7 days'],
] as const;

/** Runs a change, then draws the view again in place; a refusal (403, 409) is shown above the tables. */
function action(ctx: PageContext, status: HTMLElement, label: string, run: () => Promise<unknown>) {
  return async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    button.disabled = true;
    try {
      await run();
      const fresh = await get<AlertsOverviewBody>('/alerts');
      ctx.root.replaceChildren();
      draw(ctx, fresh);
      // Counts the redraws, so a test (or a screen reader's live region) can tell the new state has arrived.
      ctx.root.dataset.redrawn = String(Number(ctx.root.dataset.redrawn ?? 0) + 1);
    } catch (err) {
      const m = err as Error & { hint?: string };
      status.replaceChildren(notice(`${label} failed: ${m.message}${m.hint ? ` — ${m.hint}` : ''}`, 'error'));
      button.disabled = false;
    }
  };
}

function handling(ctx: PageContext, status: HTMLElement, a: AlertBody): Child {
  const ack = a.ackedAt
    ? h('span', { class: 'muted', 'data-acked': 'true' }, `acknowledged by ${a.ackedBy ?? '?'}`)
    : h(
        'button',
        {
          type: 'button',
          'data-action': 'ack',
          onclick: action(ctx, status, 'Acknowledge', () =>
            send('POST', `/alerts/${a.id}/ack`),
          ) as EventListener,
        },
        'Acknowledge',
      );
  const choice = h(
    'select',
    { 'aria-label': `Mute ${a.title} for`, 'data-mute-for': String(a.id) },
    muteChoices.map(([v, l]) => h('option', { value: v }, l)),
  );
  const mute = h(
    'button',
    {
      type: 'button',
      'data-action': 'mute',
      onclick: action(ctx, status, 'Mute', () =>
        send('POST', '/alerts/mutes', { target: String(a.id), for: choice.value }),
      ) as EventListener,
    },
    'Mute',
  );
  return h('span', { class: 'alert-actions' }, ack, ' ', choice, mute);
}

function activeTable(ctx: PageContext, status: HTMLElement, o: AlertsOverviewBody): HTMLElement {
  return table<AlertBody>({
    id: 'alerts-active',
    caption: `Firing now (${o.active.length})`,
    empty: 'Nothing is firing.',
    rows: o.active,
    rowClass: (a) => `severity-${a.severity}`,
    columns: [
      { label: 'Severity', value: (a) => severityBadge(a.severity) },
      {
        label: 'Alert',
        value: (a) =>
          h(
            'span',
            null,
            h('a', { href: ctx.link(`alerts/${a.id}`), 'data-alert': String(a.id) }, a.title),
            h('div', { class: 'muted explanation' }, a.explanation),
          ),
      },
      { label: 'Scope', value: (a) => a.scopeLabel },
      { label: 'Value', value: (a) => withUnit(a.value, a.unit), numeric: true },
      { label: 'Threshold', value: (a) => withUnit(a.threshold, a.unit), numeric: true },
      { label: 'Since (UTC)', value: (a) => at(a.startedAt) },
      ...(o.canHandle ? [{ label: 'Handle', value: (a: AlertBody) => handling(ctx, status, a) }] : []),
    ],
  });
}

function mutesTable(ctx: PageContext, status: HTMLElement, o: AlertsOverviewBody): HTMLElement {
  return table<AlertMuteBody>({
    id: 'alerts-mutes',
    caption: 'Muted (messages held back; alerts still fire and resolve here)',
    empty: 'No mutes.',
    rows: o.mutes,
    columns: [
      { label: 'Rule', value: (m) => m.ruleId },
      { label: 'Scope', value: (m) => (m.scopeKey === '*' ? 'every scope' : m.scopeKey) },
      { label: 'Until (UTC)', value: (m) => at(m.untilAt) },
      { label: 'By', value: (m) => m.actor ?? '–' },
      ...(o.canHandle
        ? [
            {
              label: '',
              value: (m: AlertMuteBody) =>
                h(
                  'button',
                  {
                    type: 'button',
                    'data-action': 'unmute',
                    onclick: action(ctx, status, 'Unmute', () =>
                      send('DELETE', `/alerts/mutes/${m.id}`),
                    ) as EventListener,
                  },
                  'Unmute',
                ),
            },
          ]
        : []),
    ],
  });
}

function historyTable(ctx: PageContext, o: AlertsOverviewBody): HTMLElement {
  return table<AlertBody>({
    id: 'alerts-history',
    caption: `Resolved (latest ${o.history.length})`,
    empty: 'No alert has resolved yet.',
    rows: o.history,
    columns: [
      { label: 'Severity', value: (a) => severityBadge(a.severity) },
      { label: 'Alert', value: (a) => h('a', { href: ctx.link(`alerts/${a.id}`) }, a.title) },
      { label: 'Scope', value: (a) => a.scopeLabel },
      { label: 'Worst', value: (a) => withUnit(a.peakValue, a.unit), numeric: true },
      { label: 'Started (UTC)', value: (a) => at(a.startedAt) },
      { label: 'Resolved (UTC)', value: (a) => at(a.resolvedAt) },
    ],
  });
}

function rulesTable(o: AlertsOverviewBody): HTMLElement {
  return table<AlertRuleBody>({
    id: 'alerts-rules',
    caption: 'Rules in force (alerts.rules in the config file over the built-in defaults)',
    rows: o.rules,
    rowClass: (r) => (r.enabled ? undefined : 'disabled'),
    columns: [
      {
        label: 'Rule',
        value: (r) => h('span', { title: r.why }, h('code', null, r.id), h('div', null, r.name)),
      },
      { label: 'On', value: (r) => (r.enabled ? 'yes' : 'off') },
      { label: 'Severity', value: (r) => severityBadge(r.severity) },
      { label: 'Scope', value: (r) => r.scope.join(', ') },
      {
        label: 'Threshold',
        value: (r) => h('span', { 'data-threshold': r.threshold }, withUnit(r.threshold, r.unit)),
        numeric: true,
      },
      { label: 'Window', value: (r) => minutesText(r.windowMinutes), numeric: true },
      { label: 'Min. volume', value: (r) => (r.minVolume ? int(r.minVolume) : '–'), numeric: true },
      { label: 'Repeat after', value: (r) => minutesText(r.repeatEveryMinutes), numeric: true },
      { label: 'Channels', value: (r) => (r.channels ? r.channels.join(', ') : 'all') },
      { label: 'Why', value: (r) => h('span', { class: 'why' }, r.why) },
    ],
  });
}

function channelsTable(o: AlertsOverviewBody): HTMLElement {
  return table({
    id: 'alerts-channels',
    caption: 'Channels (secrets never leave the server)',
    empty: 'No channel is configured: alerts are evaluated and kept here, but nobody is told.',
    rows: o.channels,
    columns: [
      { label: 'Name', value: (c) => c.name },
      { label: 'Type', value: (c) => c.type },
      { label: 'Target', value: (c) => h('code', null, c.target) },
    ],
  });
}

function draw(ctx: PageContext, o: AlertsOverviewBody): void {
  const status = h('div', { class: 'alert-status', 'aria-live': 'polite' });
  const outbox = o.outbox;
  ctx.show(
    h('h1', null, 'Alerts ', h('span', { class: 'muted' }, `· ${o.active.length} firing`)),
    h(
      'p',
      { class: 'lead' },
      `Rules are evaluated every ${minutesText(o.evaluateEveryMinutes)} by collect and serve (last: ${o.lastEvaluatedAt === null ? 'not yet' : `${at(o.lastEvaluatedAt)} UTC`}). `,
      `Messages waiting: ${int(outbox.pending)}, given up: ${int(outbox.failed)}, delivered: ${int(outbox.delivered)}.`,
    ),
    o.canHandle
      ? null
      : h(
          'p',
          { class: 'notice info', 'data-read-only': 'true' },
          'Read only: acknowledging and muting need an investigator token.',
        ),
    status,
    activeTable(ctx, status, o),
    o.mutes.length || o.canHandle ? mutesTable(ctx, status, o) : null,
    historyTable(ctx, o),
    card('Rules', rulesTable(o)),
    card('Channels', channelsTable(o)),
  );
}

export const alertsPage: Page = {
  title: 'Alerts',
  async render(ctx) {
    draw(ctx, await get<AlertsOverviewBody>('/alerts'));
  },
};
