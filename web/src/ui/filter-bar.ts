// The one filter bar of every view: period (presets or from–to), granularity, time zone and the quality filters,
// all kept in the URL; the filters' values come from the API (the dimension's values in the period).
import { granularities, periodPresets } from '../../../src/analytics/period.ts';
import { get } from '../api.ts';
import { barDimensions, type ViewState } from '../filters.ts';
import { clear, h } from './dom.ts';

type Values = Record<string, { value: string | null; streams: number }[]>;
const cache = new Map<string, Promise<Values>>();

function valuesFor(s: ViewState): Promise<Values> {
  const key = JSON.stringify(s.period);
  let v = cache.get(key);
  if (!v) {
    v = get<{ values: Values }>('/dimension-values', {
      ...s.period,
      dimension: barDimensions
        .filter((d) => !d.choices)
        .map((d) => d.key)
        .join(','),
    }).then((r) => r.values);
    v.catch(() => cache.delete(key));
    cache.set(key, v);
  }
  return v;
}

const zones = (): string[] => {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [
    ...new Set([
      'UTC',
      own,
      'Europe/London',
      'Europe/Paris',
      'America/New_York',
      'America/Chicago',
      'America/Los_Angeles',
      'Asia/Tokyo',
    ]),
  ];
};

const option = (value: string, label: string, selected: boolean) => h('option', { value, selected }, label);

/** Draws the bar for this view's state; `change` rewrites the URL (undefined removes a key). */
export function drawFilterBar(
  form: HTMLFormElement,
  s: ViewState,
  query: URLSearchParams,
  change: (c: Record<string, string | undefined>) => void,
): void {
  clear(form);
  const since = query.get('since') ?? '30d';
  const isPreset = !query.get('until') && (since === 'all' || periodPresets.some((p) => p.value === since));
  const preset = h(
    'select',
    { id: 'range-preset', name: 'preset' },
    periodPresets.map((p) => option(p.value, p.label, isPreset && p.value === since)),
    option('all', 'All stored', isPreset && since === 'all'),
    option('custom', 'Custom…', !isPreset),
  );
  const from = h('input', {
    id: 'range-since',
    type: 'datetime-local',
    step: 3600,
    value: isPreset ? '' : since.slice(0, 16),
  });
  const to = h('input', {
    id: 'range-until',
    type: 'datetime-local',
    step: 3600,
    value: query.get('until')?.slice(0, 16) ?? '',
  });
  const custom = h(
    'span',
    { id: 'range-custom', class: 'range-custom', hidden: isPreset },
    h('label', { for: 'range-since' }, 'From'),
    from,
    h('label', { for: 'range-until' }, 'to'),
    to,
    h('button', { type: 'submit' }, 'Apply'),
  );
  const gran = h(
    'select',
    { id: 'f-granularity', 'aria-label': 'Granularity' },
    granularities.map((g) => option(g, `by ${g}`, g === s.granularity)),
  );
  const tz = h(
    'select',
    { id: 'f-tz', 'aria-label': 'Time zone' },
    [...new Set([...zones(), s.tz])].map((z) => option(z, z, z === s.tz)),
  );
  const current = new Map(s.filters);
  const selects = barDimensions.map((d) => {
    const sel = h(
      'select',
      { id: `f-${d.key}`, 'data-filter': d.key, 'aria-label': d.label },
      option('', `${d.label}: all`, !current.has(d.key)),
      (d.choices ?? []).map(([v, l]) => option(v, `${d.label}: ${l}`, current.get(d.key) === v)),
      current.has(d.key) && !d.choices
        ? option(current.get(d.key) as string, `${d.label}: ${current.get(d.key) || '(unknown)'}`, true)
        : null,
    );
    sel.addEventListener('change', () =>
      change({ [d.key]: sel.value === '' && sel.selectedIndex === 0 ? undefined : sel.value }),
    );
    return sel;
  });
  const clearButton = h(
    'button',
    { type: 'button', id: 'f-clear', disabled: s.filters.length === 0 },
    'Clear filters',
  );
  clearButton.addEventListener('click', () =>
    change(Object.fromEntries(s.filters.map(([k]) => [k, undefined]))),
  );
  form.append(
    h('label', { for: 'range-preset' }, 'Period'),
    preset,
    custom,
    gran,
    tz,
    ...selects,
    clearButton,
  );
  preset.addEventListener('change', () => {
    custom.hidden = preset.value !== 'custom';
    if (preset.value !== 'custom')
      change({ since: preset.value === '30d' ? undefined : preset.value, until: undefined });
    else from.focus();
  });
  form.onsubmit = (e) => {
    e.preventDefault();
    if (from.value) change({ since: from.value, until: to.value || undefined });
  };
  gran.addEventListener('change', () =>
    change({ granularity: gran.value === 'day' ? undefined : gran.value }),
  );
  tz.addEventListener('change', () => change({ tz: tz.value === 'UTC' ? undefined : tz.value }));
  // The values arrive after the view is drawn: the bar never holds a page up.
  void valuesFor(s).then(
    (values) => {
      for (const sel of selects) {
        const key = sel.dataset.filter as string;
        const d = barDimensions.find((x) => x.key === key);
        if (d?.choices) continue;
        for (const v of values[key] ?? []) {
          const value = v.value ?? '';
          if (current.get(key) === value) continue;
          sel.append(
            option(
              value,
              `${d?.label}: ${v.value ?? '(unknown)'} · ${v.streams.toLocaleString('en-US')}`,
              false,
            ),
          );
        }
      }
      form.dataset.values = 'ready';
    },
    () => {},
  );
}
