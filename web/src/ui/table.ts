// A semantic data table with an optional pager and a CSV export button that downloads the same rows.
import { downloadCsv, type Params } from '../api.ts';
import { type Child, h } from './dom.ts';

export interface Column<T> {
  label: string;
  value: (row: T) => Child;
  numeric?: boolean;
  /** Header tooltip: what the column means. */
  title?: string;
}

export interface Pager {
  total: number;
  /** The total is a lower bound (the server stopped counting): shown as "1,000+". */
  atLeast?: boolean;
  offset: number;
  limit: number;
  onPage: (offset: number) => void;
}

export interface TableOptions<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  /** A CSS class per row (e.g. `poor`). */
  rowClass?: (row: T) => string | undefined;
  /** The API table this one shows; the export button downloads its `format=csv` variant with these params. */
  csv?: { path: string; params: Params; filename: string };
  pager?: Pager;
  empty?: string;
  /** Identifies the table for tests and links (data-table attribute). */
  id?: string;
}

function pagerOf(p: Pager, shown: number): HTMLElement {
  const last = p.offset + shown;
  const prev = h('button', { type: 'button', disabled: p.offset === 0 }, '← Previous');
  const next = h(
    'button',
    { type: 'button', disabled: shown < p.limit || (last >= p.total && !p.atLeast) },
    'Next →',
  );
  prev.addEventListener('click', () => p.onPage(Math.max(0, p.offset - p.limit)));
  next.addEventListener('click', () => p.onPage(p.offset + p.limit));
  return h(
    'div',
    { class: 'pager', role: 'navigation', 'aria-label': 'Pages' },
    prev,
    h(
      'span',
      { class: 'pager-status', 'data-total': p.total },
      shown === 0
        ? 'none'
        : `${p.offset + 1}–${last} of ${p.total.toLocaleString('en-US')}${p.atLeast ? '+' : ''}`,
    ),
    next,
  );
}

export function table<T>(o: TableOptions<T>): HTMLElement {
  const head = h(
    'tr',
    null,
    o.columns.map((c) =>
      h('th', { scope: 'col', class: c.numeric ? 'num' : null, title: c.title ?? null }, c.label),
    ),
  );
  const body = h(
    'tbody',
    null,
    o.rows.length === 0
      ? h(
          'tr',
          null,
          h('td', { colspan: o.columns.length, class: 'empty' }, o.empty ?? 'Nothing in this period.'),
        )
      : o.rows.map((r) =>
          h(
            'tr',
            { class: o.rowClass?.(r) ?? null },
            o.columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.value(r))),
          ),
        ),
  );
  const tableEl = h(
    'table',
    { class: 'data', 'data-table': o.id ?? null },
    h('caption', null, o.caption),
    h('thead', null, head),
    body,
  );
  const tools: HTMLElement[] = [];
  if (o.csv) {
    const csv = o.csv;
    const button = h(
      'button',
      { type: 'button', class: 'export', 'aria-label': `Export ${o.caption} as CSV` },
      'Export CSV',
    );
    button.addEventListener('click', async () => {
      button.setAttribute('aria-busy', 'true');
      try {
        await downloadCsv(csv.path, csv.params, csv.filename);
      } finally {
        button.removeAttribute('aria-busy');
      }
    });
    tools.push(button);
  }
  return h(
    'div',
    { class: 'table-wrap' },
    tools.length ? h('div', { class: 'table-tools' }, tools) : null,
    h('div', { class: 'table-scroll' }, tableEl),
    o.pager ? pagerOf(o.pager, o.rows.length) : null,
  );
}
