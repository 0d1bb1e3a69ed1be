// The call list: filters (search, poor only, media type), a paged table, each call opening its call view.
import type { CallSummary } from '../../../src/analytics/call-views.ts';
import type { CallPage } from '../../../src/server/api-types.ts';
import { get, type Params } from '../api.ts';
import type { Page, PageContext } from '../page.ts';
import { duration, h, int, when } from '../ui/dom.ts';
import { breadcrumbs } from '../ui/drill.ts';
import { modalitiesText } from '../ui/modalities.ts';
import { type Column, table } from '../ui/table.ts';

export const pageSize = 50;

/** The call list's columns, shared with the user view's list (where `own` shows the user's own streams). */
export function callColumns(ctx: PageContext, own = false): Column<CallSummary>[] {
  const columns: Column<CallSummary>[] = [
    {
      label: 'Start (UTC)',
      value: (c) =>
        h(
          'a',
          { href: ctx.link(`calls/${encodeURIComponent(c.id)}`), 'data-call': c.id, class: 'nowrap' },
          when(c.startDateTime),
        ),
    },
    { label: 'Duration', value: (c) => duration(c.durationMs), numeric: true },
    { label: 'Type', value: (c) => c.type ?? '–' },
    { label: 'Media', value: (c) => modalitiesText(c.modalities) },
    { label: 'Organizer', value: (c) => c.organizerName ?? c.organizerId ?? '–' },
    { label: 'People', value: (c) => int(c.participantCount), numeric: true },
    { label: 'Streams', value: (c) => int(c.streamCount), numeric: true },
    {
      label: 'Poor streams',
      value: (c) =>
        c.poorStreamCount > 0 ? h('span', { class: 'badge poor' }, int(c.poorStreamCount)) : '0',
      numeric: true,
    },
    {
      label: 'View',
      value: (c) => c.view,
      title: "Whose record this is: the organizer tenant's full view or a participant tenant's partial view",
    },
  ];
  if (!own) return columns;
  const ownColumns: Column<CallSummary>[] = [
    {
      label: 'Own streams',
      value: (c) => int(c.ownStreamCount),
      numeric: true,
      title: 'Streams whose client end is this user',
    },
    {
      label: 'Own poor',
      value: (c) =>
        (c.ownPoorStreamCount ?? 0) > 0 ? h('span', { class: 'badge poor' }, int(c.ownPoorStreamCount)) : '0',
      numeric: true,
      title: "How many of this user's own streams were poor",
    },
  ];
  return columns.flatMap((col) =>
    col.label === 'Streams' ? [] : col.label === 'Poor streams' ? ownColumns : [col],
  );
}

/** A paged, exportable table of calls for the given API path and filters. */
export async function callTable(
  ctx: PageContext,
  path: string,
  filters: Params,
  caption: string,
  /** A user's list: the user's own streams instead of the call's. */
  own = false,
): Promise<HTMLElement> {
  const offset = Number(ctx.query.get('offset') ?? 0) || 0;
  const params = { ...ctx.range, ...filters };
  const page = await get<CallPage>(path, { ...params, limit: pageSize, offset });
  return table({
    id: 'calls',
    caption: `${caption} — ${ctx.rangeLabel}`,
    columns: callColumns(ctx, own),
    rows: page.calls,
    rowClass: (c) => ((own ? (c.ownPoorStreamCount ?? 0) : c.poorStreamCount) > 0 ? 'poor' : undefined),
    csv: { path, params: { ...params, limit: 10_000 }, filename: 'calls.csv' },
    pager: {
      total: page.total,
      atLeast: page.totalCapped,
      offset,
      limit: pageSize,
      onPage: (o) => ctx.setQuery({ offset: o ? String(o) : undefined }),
    },
    empty: 'No calls match these filters in this period.',
  });
}

function filterForm(ctx: PageContext): HTMLElement {
  const q = ctx.query;
  const search = h('input', {
    id: 'f-q',
    name: 'q',
    type: 'search',
    value: q.get('q') ?? '',
    placeholder: 'name, UPN or call id',
  });
  const poor = h('input', {
    id: 'f-poor',
    name: 'poor',
    type: 'checkbox',
    checked: q.get('poor') === 'true',
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter calls' },
    h('label', { for: 'f-q' }, 'Search'),
    search,
    h('label', { class: 'check', for: 'f-poor' }, poor, ' Poor calls only'),
    h('button', { type: 'submit' }, 'Apply'),
  );
  const apply = () =>
    ctx.setQuery({
      q: search.value.trim() || undefined,
      poor: poor.checked ? 'true' : undefined,
      offset: undefined,
    });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  poor.addEventListener('change', apply);
  return form;
}

export const callsPage: Page = {
  title: 'Calls',
  individuals: true,
  async render(ctx) {
    const filters: Params = {
      q: ctx.query.get('q') ?? undefined,
      poor: ctx.query.get('poor') ?? undefined,
      mediaType: ctx.query.get('mediaType') ?? undefined,
      failureStage: ctx.query.get('failureStage') ?? undefined,
      failureReason: ctx.query.get('failureReason') ?? undefined,
    };
    const failed = ctx.query.get('failureStage');
    // A user's calls (the drill-down's last level): their own streams, judged by the filters of the bar.
    const user = ctx.query.get('user');
    const heading = h('h1', null, 'Calls');
    const form = filterForm(ctx);
    ctx.show(
      breadcrumbs(ctx),
      heading,
      failed
        ? h(
            'p',
            { class: 'muted', 'data-failure': failed },
            `Calls that failed at ${failed === 'callSetup' ? 'setup' : 'mid-call'}${ctx.query.get('failureReason') ? `: ${ctx.query.get('failureReason')}` : ''}`,
          )
        : null,
      form,
    );
    ctx.show(
      await callTable(
        ctx,
        '/calls',
        filters,
        user ? "This user's calls, newest first" : 'Calls, newest first',
        !!user,
      ),
    );
  },
};
