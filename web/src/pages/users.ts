// The user list: who called how much and how well in the period, searchable and sortable, each opening the user view.
import type { UserSummary } from '../../../src/analytics/list-users.ts';
import type { UserPage } from '../../../src/server/api-types.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { h, int, pct } from '../ui/dom.ts';
import { breadcrumbs, drillHref } from '../ui/drill.ts';
import { table } from '../ui/table.ts';

const pageSize = 50;
const orders: [string, string][] = [
  ['calls', 'most calls'],
  ['poorPercent', 'highest poor %'],
  ['poorStreams', 'most poor streams'],
  ['minutes', 'most minutes'],
];

export const usersPage: Page = {
  title: 'Users',
  individuals: true,
  async render(ctx) {
    const q = ctx.query.get('q') ?? '';
    const orderBy = ctx.query.get('orderBy') ?? 'calls';
    const offset = Number(ctx.query.get('offset') ?? 0) || 0;
    const tenant = ctx.query.get('tenant') ?? '';
    const search = h('input', { id: 'u-q', type: 'search', value: q, placeholder: 'name, UPN or object id' });
    const order = h(
      'select',
      { id: 'u-order' },
      orders.map(([v, label]) => h('option', { value: v, selected: v === orderBy }, label)),
    );
    const params = { ...ctx.range, q: q || undefined, orderBy, tenant: tenant || undefined };
    const page = await get<UserPage>('/users', { ...params, limit: pageSize, offset });
    // Guests are grouped by their tenant: the filter lists this organization, all guests, and each tenant.
    const home = page.tenants.filter((x) => x.home).reduce((n, x) => n + x.users, 0);
    const guests = page.tenants.filter((x) => !x.home).reduce((n, x) => n + x.users, 0);
    const tenantOptions: [string, string][] = [
      ['', `everyone (${home + guests})`],
      ['home', `this organization (${home})`],
      ['guests', `guests, every other tenant (${guests})`],
      ...page.tenants
        .filter((x) => !x.home)
        .map((x): [string, string] =>
          x.tenantId === null
            ? ['anonymous', `anonymous guests, no tenant (${x.users})`]
            : [x.tenantId, `tenant ${x.tenantId} (${x.users})`],
        ),
    ];
    if (tenant && !tenantOptions.some(([v]) => v === tenant))
      tenantOptions.push([tenant, `tenant ${tenant} (0)`]);
    const tenantSelect = h(
      'select',
      { id: 'u-tenant' },
      tenantOptions.map(([v, label]) => h('option', { value: v, selected: v === tenant }, label)),
    );
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Find users' },
      h('label', { for: 'u-q' }, 'Search'),
      search,
      h('label', { for: 'u-tenant' }, 'Tenant'),
      tenantSelect,
      h('label', { for: 'u-order' }, 'Sort by'),
      order,
      h('button', { type: 'submit' }, 'Apply'),
    );
    const apply = () =>
      ctx.setQuery({
        q: search.value.trim() || undefined,
        orderBy: order.value === 'calls' ? undefined : order.value,
        tenant: tenantSelect.value || undefined,
        offset: undefined,
      });
    tenantSelect.addEventListener('change', apply);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      apply();
    });
    order.addEventListener('change', apply);
    ctx.show(
      h('h1', null, 'Users'),
      form,
      h(
        'p',
        { class: 'note', 'data-note': 'own-streams' },
        "Each user's calls, minutes and streams are their own: the streams whose client end is that user, as CQD counts a user.",
      ),
    );
    ctx.show(
      breadcrumbs(ctx),
      h(
        'p',
        { 'data-level-total': String(page.users.reduce((a, u) => a + u.streams, 0)) },
        `Streams counted are each user's own (their client end) that pass the filters.`,
      ),
      table<UserSummary>({
        id: 'users',
        caption: `Users by ${orders.find(([v]) => v === orderBy)?.[1] ?? orderBy} — ${ctx.rangeLabel}`,
        columns: [
          {
            label: 'User',
            value: (u) =>
              h('a', { href: ctx.link(`users/${encodeURIComponent(u.id)}`) }, u.displayName ?? u.id),
          },
          { label: 'UPN', value: (u) => u.userPrincipalName ?? '–' },
          {
            label: 'Tenant',
            value: (u) =>
              !u.guest ? 'this organization' : u.tenantId ? `guest · ${u.tenantId}` : 'guest · no tenant',
          },
          {
            label: 'Calls',
            // The user's calls under the same filters: the next level of the drill-down.
            value: (u) =>
              h(
                'a',
                { href: drillHref(ctx, 'user', u.id), 'data-drill': 'user', 'data-value': u.id },
                int(u.calls),
              ),
            numeric: true,
            title: 'Calls with streams whose client end is this user',
          },
          { label: 'Minutes', value: (u) => int(u.minutes), numeric: true },
          { label: 'Own streams', value: (u) => int(u.streams), numeric: true },
          { label: 'Poor own streams', value: (u) => int(u.poorStreams), numeric: true },
          { label: 'Poor %', value: (u) => pct(u.poorPercent), numeric: true },
        ],
        rows: page.users,
        rowClass: (u) => ((u.poorPercent ?? 0) > 10 ? 'poor' : undefined),
        csv: { path: '/users', params: { ...params, limit: 10_000 }, filename: 'users.csv' },
        pager: {
          total: page.total,
          offset,
          limit: pageSize,
          onPage: (o) => ctx.setQuery({ offset: o ? String(o) : undefined }),
        },
        empty: 'No users with calls in this period.',
      }),
    );
  },
};
