// The change rule: a quality metric of the recent window worse than its baseline beyond noise (the change detection
// decides what noise is), fired with the dimension values that explain it; resolves when it is no longer reported.
import { type Check, exploreLink, type Observation, shown } from '../observation.ts';

const DAY = 86_400_000;
const baselineDays = 7;

export const checkChanges: Check = async (rule, ctx, open) => {
  if (!ctx.changes) return [];
  const recent = { since: ctx.now - rule.window, until: ctx.now };
  const baseline = { since: recent.since - baselineDays * DAY, until: recent.since };
  const changes = await ctx.changes.changes({ recent, baseline });
  const out: Observation[] = changes.map((c) => {
    const delta = c.recent - c.baseline;
    const explained = c.explainedBy.filter((e) => e.dimension !== 'user');
    return {
      scopeKey: `change:${c.metric}`,
      scopeLabel: c.label,
      status:
        c.streams !== undefined && c.streams < rule.minVolume
          ? 'unknown'
          : delta > rule.threshold
            ? 'firing'
            : 'clear',
      value: Math.round(c.recent * 100) / 100,
      threshold: Math.round(c.baseline * 100) / 100,
      unit: c.unit,
      title: `${c.label} up from ${shown(c.baseline)}${c.unit} to ${shown(c.recent)}${c.unit}`,
      explanation: `${c.label} in the last ${shown(rule.window / 3_600_000)} hours is ${shown(c.recent)}${c.unit} against ${shown(c.baseline)}${c.unit} in the ${baselineDays} days before, beyond noise.${
        explained.length
          ? ` Explained by: ${explained.map((e) => `${e.dimension.replace(/-/g, ' ')} ${e.value} (${e.impact})`).join('; ')}.`
          : ''
      }`,
      // Explore by the dimension that explains most of it (buildings when nothing does), over the recent window.
      url: exploreLink(ctx, { by: explained[0]?.dimension ?? 'building', ...recent }),
      figures: [
        { name: c.label, value: `${shown(c.recent)}${c.unit} (baseline ${shown(c.baseline)}${c.unit})` },
        ...explained
          .slice(0, 3)
          .map((e) => ({ name: e.dimension.replace(/-/g, ' '), value: `${e.value} (${e.impact})` })),
      ],
    };
  });
  const seen = new Set(out.map((o) => o.scopeKey));
  for (const key of open)
    if (!seen.has(key))
      out.push({
        scopeKey: key,
        scopeLabel: key.replace(/^change:/, ''),
        status: 'clear',
        value: null,
        threshold: 0,
        unit: '',
        title: 'Back within noise of its baseline',
        explanation: 'The change detection no longer reports it.',
        url: exploreLink(ctx, { by: 'building', ...recent }),
        figures: [],
      });
  return out;
};
