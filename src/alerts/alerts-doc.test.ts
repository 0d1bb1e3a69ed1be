// docs/alerts.md keeps up with the code: every built-in rule in a table row with its default threshold, every
// channel type with a section, every webhook payload field described.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webhookPayload } from './channels/webhook.ts';
import type { AlertMessage } from './message.ts';
import { builtInRules } from './rules.ts';

const doc = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8');
const rows = doc.split('\n').filter((l) => l.startsWith('| `'));

describe('docs/alerts.md', () => {
  it('lists every built-in rule with its default threshold', () => {
    for (const r of builtInRules) {
      const row = rows.find((l) => l.startsWith(`| \`${r.id}\` |`));
      expect(row, r.id).toBeDefined();
      // The threshold column states the default (a 0 threshold reads "immediately", "any change", "the last pull").
      if (r.threshold > 0) expect(row?.split('|')[2], r.id).toContain(String(r.threshold));
    }
  });

  it('has a setup section for every channel type and describes every webhook field', () => {
    for (const type of ['webhook', 'teams', 'email']) expect(doc).toContain(`### \`${type}\``);
    const message: AlertMessage = {
      alertId: 1,
      key: 'k',
      event: 'fired',
      state: 'firing',
      rule: 'r',
      ruleName: 'n',
      severity: 'info',
      title: 't',
      scope: { key: 'organization', label: 'o' },
      value: 1,
      threshold: 1,
      unit: '%',
      since: '2026-01-01T00:00:00Z',
      resolvedAt: null,
      explanation: '',
      url: null,
      figures: [],
    };
    for (const field of Object.keys(webhookPayload(message, { id: 'd', sentAt: 'now' })))
      expect(
        rows.some((l) => l.includes(`\`${field}\``)),
        field,
      ).toBe(true);
    expect(doc).toContain('X-Calltrove-Signature-256');
    expect(doc).toContain('Post to a channel when a webhook request is received');
  });
});
