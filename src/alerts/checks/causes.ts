// The cause rule: an attributed cause (access point, subnet, driver, ISP, client version...) that explains at least a
// share of the poor audio streams of the window fires; it is updated as its share grows and resolves when it fades.

import type { AttributedCause } from '../observation.ts';
import { type Check, type CheckContext, exploreLink, type Observation, shown } from '../observation.ts';
import type { Rule } from '../rules.ts';

/** Dimensions an alert never names: a channel reaches people who may not see individuals. */
const individual = new Set(['user', 'user-id']);

export function causeKey(c: AttributedCause): string {
  return `cause:${c.parts.map((p) => `${p.dimension}=${p.value}`).join('+')}`;
}

/** How a dimension reads in a sentence; others read as their name with spaces ("client version"). */
const dimensionWords: Record<string, string> = {
  isp: 'ISP',
  vpn: 'VPN',
  'wifi-band': 'Wi-Fi band',
  'hour-of-day': 'hour',
  relay: 'relay',
  'first-end': 'first end',
};

const wordsOf = (dimension: string) => dimensionWords[dimension] ?? dimension.replace(/-/g, ' ');

export function causeLabel(c: AttributedCause): string {
  return c.parts.map((p) => `${wordsOf(p.dimension)} ${p.value}`).join(' at ');
}

/**
 * Explore grouped by the cause's (last) dimension over the rule's window, under its other values: the cause's row
 * beside its peers (the other access points, ISPs...), opening its own subnets, clients and calls.
 */
function causeLink(rule: Rule, ctx: CheckContext, parts: AttributedCause['parts']): string {
  const last = parts[parts.length - 1];
  return exploreLink(ctx, {
    by: last.dimension,
    filters: parts.slice(0, -1),
    since: ctx.now - rule.window,
    until: ctx.now,
  });
}

function observe(rule: Rule, ctx: CheckContext, c: AttributedCause): Observation {
  const label = causeLabel(c);
  const peers = wordsOf(c.parts[c.parts.length - 1].dimension);
  const enough = c.excessPoorStreams >= rule.minVolume;
  const status =
    enough && c.sharePercent >= rule.threshold
      ? 'firing'
      : c.sharePercent < rule.threshold / 2
        ? 'clear'
        : 'unknown';
  const hours = rule.window / 3_600_000;
  return {
    scopeKey: causeKey(c),
    scopeLabel: label,
    status,
    value: Math.round(c.sharePercent * 10) / 10,
    threshold: rule.threshold,
    unit: '% of poor streams',
    title: `${label[0].toUpperCase()}${label.slice(1)} explains ${shown(c.sharePercent)}% of poor audio streams`,
    explanation: `${c.poorStreams} of its ${c.streams} audio streams were poor (${shown(c.poorPercent)}%) in the last ${shown(hours)} hours: ${Math.round(c.excessPoorStreams)} more than the organization's normal rate would give, ${shown(c.sharePercent)}% of all poor audio streams.${c.reasons.length ? ` Mostly ${c.reasons.join(', ')}.` : ''} The link shows it beside every other ${peers} over the same hours.`,
    url: causeLink(rule, ctx, c.parts),
    figures: [
      {
        name: 'Share of poor audio streams',
        value: `${shown(c.sharePercent)}% (threshold ${shown(rule.threshold)}%)`,
      },
      { name: 'Poor streams', value: `${c.poorStreams} of ${c.streams} (${shown(c.poorPercent)}%)` },
      { name: 'Beyond the normal rate', value: String(Math.round(c.excessPoorStreams)) },
      ...(c.reasons.length ? [{ name: 'Poor because of', value: c.reasons.join(', ') }] : []),
    ],
  };
}

export const checkCauses: Check = async (rule, ctx, open) => {
  if (!ctx.causes) return [];
  const causes = (await ctx.causes.causes({ since: ctx.now - rule.window, until: ctx.now })).filter(
    (c) => !c.parts.some((p) => individual.has(p.dimension)),
  );
  const out = causes.map((c) => observe(rule, ctx, c));
  const seen = new Set(out.map((o) => o.scopeKey));
  // The attribution lists every cause with an excess: one it no longer lists explains nothing now.
  for (const key of open)
    if (!seen.has(key))
      out.push({
        scopeKey: key,
        scopeLabel: key.replace(/^cause:/, ''),
        status: 'clear',
        value: 0,
        threshold: rule.threshold,
        unit: '% of poor streams',
        title: 'The cause no longer explains poor audio',
        explanation: `It no longer stands out in the last ${shown(rule.window / 3_600_000)} hours.`,
        // The key's first dimension (a value may hold any character, so the key is not split further).
        url: causeLink(rule, ctx, [{ dimension: key.slice('cause:'.length).split('=')[0], value: '' }]),
        figures: [],
      });
  return out;
};
