// Building DOM without a framework: h() creates elements; text is always set as text, never parsed as HTML.

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Counts: 12,345. */
export const int = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : intFmt.format(v);
/** Percentages given as 0–100: 3.4%. */
export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${oneFmt.format(v)}%`;
/** A value with one decimal and a unit: 23.5 ms. */
export const num1 = (v: number | null | undefined, unit = ''): string =>
  v === null || v === undefined ? '–' : `${oneFmt.format(v)}${unit ? ` ${unit}` : ''}`;

/** UTC date and time as an admin reads it: 2025-03-14 09:12. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  return iso.slice(0, 16).replace('T', ' ');
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return hh > 0 ? `${hh}h ${String(mm).padStart(2, '0')}m` : `${mm}m ${String(ss).padStart(2, '0')}s`;
}

/** A labelled number tile; data-value keeps the exact number for tests and assistive tools. */
export function tile(
  label: string,
  shown: string,
  value: number | null | undefined,
  note?: string,
  /** Measured against a target: at or under it is ok, above it bad. */
  target?: number,
): HTMLElement {
  const judged =
    target === undefined || value === null || value === undefined ? '' : value <= target ? ' ok' : ' bad';
  return h(
    'div',
    { class: `tile${judged}`, 'data-tile': label, 'data-value': value ?? '' },
    h('div', { class: 'tile-label' }, label),
    h('div', { class: 'tile-value' }, shown),
    note ? h('div', { class: 'tile-note' }, note) : null,
  );
}

export function card(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', null, title), ...children);
}

export function notice(text: string, kind: 'info' | 'error' = 'info'): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
