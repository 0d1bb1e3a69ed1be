// The dashboard's shell: asks who the caller is, builds the navigation for that role, routes `#/view/...` URLs.
import type { Me } from '../../src/server/api-types.ts';
import { ApiError, get, setToken, token } from './api.ts';
import type { Page, PageContext } from './page.ts';
import { alertPage } from './pages/alert.ts';
import { alertsPage } from './pages/alerts.ts';
import { callPage } from './pages/call.ts';
import { callsPage } from './pages/calls.ts';
import { causesPage } from './pages/causes.ts';
import { feedbackPage } from './pages/feedback.ts';
import { locationsPage } from './pages/locations.ts';
import { overviewPage } from './pages/overview.ts';
import { pstnPage } from './pages/pstn.ts';
import { qerPage } from './pages/qer.ts';
import { reliabilityPage } from './pages/reliability.ts';
import { userPage } from './pages/user.ts';
import { usersPage } from './pages/users.ts';
import './style.css';
import { apiParams, isDimension, keptKeys, viewState } from './filters.ts';
import { explorePage } from './pages/explore.ts';
import { destroyCharts } from './ui/charts.ts';
import { append, clear, h, notice } from './ui/dom.ts';
import { drawFilterBar } from './ui/filter-bar.ts';

/** Views in navigation order; `detail` views open from a row and are not in the navigation. */
const views: { path: string; page: Page; detail?: Page }[] = [
  { path: 'overview', page: overviewPage },
  { path: 'explore', page: explorePage },
  { path: 'causes', page: causesPage },
  { path: 'calls', page: callsPage, detail: callPage },
  { path: 'users', page: usersPage, detail: userPage },
  { path: 'locations', page: locationsPage },
  { path: 'reliability', page: reliabilityPage },
  { path: 'feedback', page: feedbackPage },
  { path: 'pstn', page: pstnPage },
  { path: 'qer', page: qerPage },
  { path: 'alerts', page: alertsPage, detail: alertPage },
];

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const filterForm = document.getElementById('filters') as HTMLFormElement;

function parseHash(): { path: string[]; query: URLSearchParams } {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(2) : 'overview';
  const [p, q] = raw.split('?');
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q ?? '') };
}

function hashOf(path: string, query: URLSearchParams): string {
  const s = query.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

/** Applies changes to the URL's query (undefined removes a key; '' stays for a dimension: the unknown value). */
function changed(query: URLSearchParams, changes: Record<string, string | undefined>): URLSearchParams {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || (v === '' && !isDimension(k))) q.delete(k);
    else q.set(k, v);
  }
  return q;
}

function renderNav(me: Me, active: string, query: URLSearchParams): void {
  clear(nav);
  const keep = keptKeys(query);
  const items = views.filter((v) => !v.page.individuals || me.can.individuals);
  nav.append(
    h(
      'ul',
      null,
      items.map((v) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: hashOf(v.path, keep), 'aria-current': v.path === active ? 'page' : null },
            v.page.title,
          ),
        ),
      ),
    ),
  );
}

function askForToken(message: string): void {
  clear(main);
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, size: 40 });
  const form = h(
    'form',
    { class: 'card token-form' },
    h('h1', null, 'Sign in'),
    h('p', null, message),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('button', { type: 'submit' }, 'Continue'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    void route();
  });
  main.append(form);
  input.focus();
}

function notFound(message: string, hint?: string): HTMLElement {
  return h(
    'section',
    { class: 'not-found', 'data-not-found': 'true' },
    h('h1', null, 'Not found'),
    h('p', null, message),
    hint ? h('p', { class: 'muted' }, hint) : null,
    h('p', null, h('a', { href: '#/overview' }, 'Go to the overview')),
  );
}

const notFoundPage: Page = {
  title: 'Not found',
  async render(ctx) {
    ctx.show(
      notFound(
        `There is no page at #/${ctx.params.join('/')}.`,
        `The views are: ${views.map((v) => v.path).join(', ')}.`,
      ),
    );
  },
};

let me: Me | undefined;
let rendering = 0;

async function route(): Promise<void> {
  const turn = ++rendering;
  const { path, query } = parseHash();
  try {
    me ??= await get<Me>('/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      const hadToken = token() !== null;
      setToken(null);
      askForToken(hadToken ? 'That token was not accepted.' : 'This calltrove server needs an API token.');
      main.dataset.ready = String(turn);
      return;
    }
    throw err;
  }
  const who = document.getElementById('who') as HTMLElement;
  who.textContent = me.role === 'investigator' ? 'Investigator' : 'Viewer (aggregates only)';
  who.title = me.privacy.dataLocation ? `Data location: ${me.privacy.dataLocation}` : '';
  // An unknown view, or an id under a view that has no detail, is a page that does not exist: say so instead of
  // silently showing the overview.
  const found = path.length === 0 ? views[0] : views.find((v) => v.path === path[0]);
  const view = found ?? views[0];
  const page =
    !found || (path.length > 1 && !found.detail)
      ? notFoundPage
      : path.length > 1
        ? (view.detail as Page)
        : view.page;
  renderNav(me, found ? view.path : '', query);
  const state = viewState(query);
  drawFilterBar(filterForm, state, query, (c) => {
    const { path: now, query: q } = parseHash();
    location.hash = hashOf(
      now.map(encodeURIComponent).join('/') || 'overview',
      changed(q, { ...c, offset: undefined }),
    );
  });
  destroyCharts();
  clear(main);
  // A new view starts at its top (the link clicked may have been far down the previous one).
  window.scrollTo(0, 0);
  document.title = `${page.title} · calltrove`;
  if (page.individuals && !me.can.individuals) {
    main.append(notice('This view shows individual calls and users: it needs an investigator token.'));
    main.dataset.ready = String(turn);
    return;
  }
  // Each render draws into its own box: a slower, superseded render then writes into a detached element.
  const root = h('div', { class: 'view' });
  main.append(root);
  const ctx: PageContext = {
    root,
    show: (...children) => append(root, children),
    params: page === notFoundPage ? path : path.slice(1),
    query,
    range: apiParams(state),
    period: state.period,
    view: state,
    rangeLabel: state.label,
    me,
    setQuery(changes) {
      location.hash = hashOf(path.map(encodeURIComponent).join('/'), changed(query, changes));
    },
    link(to, extra = {}) {
      return hashOf(to, changed(keptKeys(query), extra));
    },
  };
  main.setAttribute('aria-busy', 'true');
  try {
    await page.render(ctx);
  } catch (err) {
    if (turn !== rendering) return;
    const e = err as ApiError;
    if (e instanceof ApiError && e.status === 401) {
      // The token was revoked or the server restarted with other tokens: ask again.
      setToken(null);
      me = undefined;
      askForToken('The server no longer accepts this token.');
      return;
    }
    if (e instanceof ApiError && e.status === 404) {
      // An unknown call or user: a page of its own, not a blank profile or an error line under a half-drawn view.
      clear(root);
      root.append(notFound(e.message, e.hint));
    } else root.append(notice(`${e.message}${e.hint ? ` — ${e.hint}` : ''}`, 'error'));
  } finally {
    if (turn === rendering) {
      main.removeAttribute('aria-busy');
      main.dataset.ready = String(turn);
    }
  }
}

document.getElementById('refresh')?.addEventListener('click', () => void route());

// In-page anchors (the skip link) change the hash too; only `#/...` hashes are views.
window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) void route();
});
void route();
