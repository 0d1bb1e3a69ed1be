// How the call view writes one value: with its unit, and red or yellow with the rule as a tooltip when the server
// flagged it (flags come with the call detail, from src/quality/metric-ranges.ts).
import { flagOf, type JsonObject } from '../../../src/format/call-values.ts';
import { type Child, h } from '../ui/dom.ts';

// The readers and units are the text view's too (src/format/call-values.ts): one module, the same words.
export { arr, num as numv, obj, str, units as fmt } from '../../../src/format/call-values.ts';

/** A value; red (poor) or yellow (watch) with the rule on hover when flagged. */
export function flagged(text: string | null, o: JsonObject | null, property: string): Child {
  if (text === null) return null;
  const f = flagOf(o, property);
  if (!f) return text;
  return h(
    'span',
    {
      class: `flag ${f.level}`,
      'data-flag': f.level,
      'data-metric': property,
      title: f.rule,
      'aria-label': `${text}: ${f.level === 'poor' ? 'poor' : 'watch'}, ${f.rule}`,
    },
    text,
  );
}

/** "avg / max" with only the average judged (CQD's rules read averages). */
export function avgMax(avg: Child, max: string | null): Child {
  if (avg === null && max === null) return null;
  return [avg ?? '–', ' / ', max ?? '–'];
}
