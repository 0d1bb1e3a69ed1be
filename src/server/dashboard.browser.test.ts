// The dashboard in a real browser (Debian Chromium via playwright-core) against `startServer` on a free port, over
// a store filled through the ingest pipeline: numbers on the page equal the API's, a poor call opens with its poor
// streams marked, filters change the numbers, exports download the table's rows. Screenshots of every view.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallDetail } from '../analytics/call-views.ts';
import type { Overview } from '../analytics/get-overview.ts';
import type { QualityRow } from '../analytics/quality-query.ts';
import { loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { noAudit } from '../service/service.ts';
import type { CallPage, UserPage } from './api-types.ts';
import { type RunningServer, startServer } from './start-server.ts';
import { filledTestStore, type TwinStore, twinFilledStore } from './test-app.ts';
import { browserAvailable, launchChromium, parseCsv, screenshotPath } from './test-browser.ts';

let t: TwinStore;
let server: RunningServer;
let browser: Browser;

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${server.url}api/v1${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

/** Waits for the view rendered after the current one (main[data-ready] counts renders). */
async function settle(page: Page, before: string | null): Promise<void> {
  await page.waitForFunction((b) => {
    const m = document.querySelector('main');
    return !!m && m.dataset.ready !== undefined && m.dataset.ready !== b && !m.hasAttribute('aria-busy');
  }, before);
}

async function act(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(() => document.querySelector('main')?.dataset.ready ?? null);
  await action();
  await settle(page, before);
}

async function open(page: Page, hash: string): Promise<void> {
  if ((await page.evaluate(() => location.hash)) === hash) return;
  await act(page, () => page.evaluate((h) => (location.hash = h), hash));
}

/** Content-Security-Policy violations a page reported (the browser's event and its console line). */
const violations = new WeakMap<Page, string[]>();

async function newPage(width = 1366, height = 768): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const seen: string[] = [];
  violations.set(page, seen);
  page.on('console', (m) => {
    if (/content security policy|CSP violation/i.test(m.text())) seen.push(m.text());
  });
  page.on('pageerror', (e) => {
    throw e;
  });
  const res = await page.goto(`${server.url}#/overview`);
  // The policy the built dashboard must satisfy: scripts and connections from its own origin only.
  expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
  await settle(page, null);
  return page;
}

const tileValue = async (page: Page, label: string) =>
  Number(await page.getAttribute(`[data-tile="${label}"]`, 'data-value'));
const total = async (page: Page) => Number(await page.getAttribute('.pager-status', 'data-total'));

describe.skipIf(!browserAvailable())('dashboard in Chromium', () => {
  beforeAll(async () => {
    t = await twinFilledStore({ seed: 7, users: 30, days: 5 });
    const config = loadConfig({ env: {} });
    server = await startServer({
      store: t.store,
      config,
      clock: t.clock,
      host: '127.0.0.1',
      port: 0,
      audit: noAudit,
    });
    expect(server.dashboard).not.toBe('unavailable');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
  });

  it('overview shows the API numbers in its tiles and charts', async () => {
    const page = await newPage();
    const o = await api<Overview>('/overview?since=30d');
    expect(o.totals.calls).toBeGreaterThan(100);
    expect(await tileValue(page, 'Calls')).toBe(o.totals.calls);
    expect(await tileValue(page, 'Streams')).toBe(o.totals.streams);
    await act(page, () => page.click('#refresh'));
    expect(await tileValue(page, 'Calls')).toBe(o.totals.calls);
    expect(await tileValue(page, 'Audio poor')).toBeCloseTo(o.totals.audioPoorPercent as number, 9);
    const shownCalls = await page.$$eval('table[data-chart="per-day"] tbody tr', (rows) =>
      rows.map((r) => [
        r.querySelector('th')?.textContent,
        Number(r.querySelector('td')?.getAttribute('data-value')),
      ]),
    );
    expect(shownCalls).toEqual(o.byDay.map((d) => [d.day, d.calls]));
    // Each chart drew on its canvas (some pixels are not blank).
    const painted = await page.$$eval('canvas', (canvases) =>
      canvases.map((c) => {
        const px =
          (c as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;
      }),
    );
    expect(painted.length).toBe(3);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    const worst = await api<{ rows: QualityRow[] }>('/worst/buildings?since=30d&limit=10');
    const names = await page.$$eval('table[data-table="worst-buildings"] tbody tr td:first-child', (c) =>
      c.map((x) => x.textContent),
    );
    expect(names).toEqual(worst.rows.map((r) => r.building));
    expect(names.length).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('overview-1366x768'), fullPage: true });
    await page.context().close();
  });

  it('a click on a poor call opens its call view with the poor streams and their reasons marked', async () => {
    const page = await newPage();
    await open(page, '#/calls?poor=true');
    const first = page.locator('table[data-table="calls"] a[data-call]').first();
    const id = (await first.getAttribute('data-call')) as string;
    await act(page, () => first.click());
    expect(page.url()).toContain(`#/calls/${encodeURIComponent(id)}`);
    const call = await api<CallDetail>(`/calls/${encodeURIComponent(id)}`);
    const streams = JSON.stringify(call.sessions);
    const poor = (streams.match(/"quality":"poor"/g) ?? []).length;
    expect(poor).toBeGreaterThan(0);
    expect(await page.locator('tr[data-quality="poor"]').count()).toBe(poor);
    // Sessions without trouble start closed and build their tables when opened.
    const closed = page.locator('details.session:not([open])');
    if ((await closed.count()) > 0) {
      const first = closed.first();
      expect(await first.locator('tr[data-quality]').count()).toBe(0);
      await first.locator('summary').click();
      await first.locator('table.ends').waitFor();
    }
    for (const reasons of await page.locator('tr[data-quality="poor"] td.reasons').allTextContents())
      expect(reasons).toMatch(/jitter|round trip|packet loss|degradation|concealed|frame/);
    expect(await page.getAttribute('[data-view]', 'data-view')).toBe(call.view);
    // Trace-route hops of the sessions shown open (those with a poor stream) appear beside the network details.
    const openHops = (call.sessions as Record<string, unknown>[])
      .filter((x) => JSON.stringify(x).includes('"quality":"poor"'))
      .some((x) => /"traceRouteHops":\[\{/.test(JSON.stringify(x)));
    if (openHops) expect(await page.locator('ol.hops li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('call-1366x768'), fullPage: true });
    await page.context().close();
  });

  it('a session Graph sent without segments says so when opened', async () => {
    const at = (s: number) => new Date(t.clock.now() - 3_600_000 + s * 1000).toISOString();
    const session = (id: string) => ({ id, startDateTime: at(0), endDateTime: at(60), segments: [] });
    await ingestRecord(
      t.store,
      { id: 'no-segments', version: 1, startDateTime: at(0), endDateTime: at(60), sessions: [session('s1')] },
      { source: 'test', receivedAt: 0 },
    );
    const page = await newPage();
    await open(page, '#/calls/no-segments');
    const box = page.locator('details.session').first();
    if ((await box.getAttribute('open')) === null) await box.locator('summary').click();
    expect(await box.locator('[data-empty="segments"]').count()).toBe(1);
    await page.context().close();
  });

  it('a big meeting lists its first participants and folds the rest away', async () => {
    const at = (s: number) => new Date(t.clock.now() - 7_200_000 + s * 1000).toISOString();
    const people = Array.from({ length: 40 }, (_, n) => ({
      id: `p${n}`,
      identity: { user: { id: `p${n}`, displayName: `Person ${n}` } },
    }));
    await ingestRecord(
      t.store,
      { id: 'big-meeting', version: 1, startDateTime: at(0), endDateTime: at(60), participants_v2: people },
      { source: 'test', receivedAt: 0 },
    );
    const page = await newPage();
    await open(page, '#/calls/big-meeting');
    const card = page.locator('section[aria-label="Participants (40)"]');
    expect(await card.locator('li:visible').count()).toBe(24);
    await card.locator('details.more-people summary').click();
    expect(await card.locator('li:visible').count()).toBe(40);
    await page.context().close();
  });

  it('filters change the numbers, to the API numbers for the same filter', async () => {
    const page = await newPage();
    const month = await tileValue(page, 'Calls');
    await act(page, () => page.selectOption('#range-preset', '24h'));
    const day = await api<Overview>('/overview?since=24h');
    expect(await tileValue(page, 'Calls')).toBe(day.totals.calls);
    expect(day.totals.calls).toBeLessThan(month);
    // Through the navigation, as a user goes: the period stays selected.
    await act(page, () => page.click('nav a:text-is("Calls")'));
    expect(page.url()).toContain('since=24h');
    const all = await total(page);
    await act(page, () => page.check('#f-poor'));
    const poor = await api<CallPage>('/calls?since=24h&poor=true&limit=1');
    expect(await total(page)).toBe(poor.total);
    expect(poor.total).toBeLessThan(all);
    // Media is the filter bar's: poor calls only with video are the calls whose poor stream was video.
    await act(page, () => page.selectOption('#f-media-type', 'video'));
    expect(page.url()).toContain('media-type=video');
    expect(await total(page)).toBe(
      (await api<CallPage>('/calls?since=24h&poor=true&media-type=video&limit=1')).total,
    );
    await page.context().close();
  });

  it('exports download CSV files whose rows match the tables', async () => {
    const page = await newPage();
    const wrap = page.locator('.table-wrap', { has: page.locator('table[data-table="worst-buildings"]') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      wrap.locator('button.export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('worst-buildings.csv');
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
    const shown = await page.$$eval('table[data-table="worst-buildings"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(rows.map((r) => r[header.indexOf('building')])).toEqual(shown.map((r) => r[0]));
    expect(rows.map((r) => Number(r[header.indexOf('streams')]))).toEqual(
      shown.map((r) => Number(r[2].replace(/,/g, ''))),
    );
    await open(page, '#/calls');
    const [calls] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('.table-wrap', { has: page.locator('table[data-table="calls"]') })
        .locator('button.export')
        .click(),
    ]);
    const [callHeader, ...callRows] = parseCsv(readFileSync(await calls.path(), 'utf8'));
    expect(callRows).toHaveLength(await total(page));
    const ids = await page.$$eval('table[data-table="calls"] a[data-call]', (as) =>
      as.map((a) => a.getAttribute('data-call')),
    );
    expect(callRows.slice(0, ids.length).map((r) => r[callHeader.indexOf('id')])).toEqual(ids);
    await page.context().close();
  });

  it('asks a token-protected server for a token and shows a viewer aggregates only', async () => {
    const viewer = 'viewer-token-for-the-browser-test';
    const config = loadConfig({
      env: { CALLTROVE_API_TOKEN: 'investigator-token-for-the-browser-test', CALLTROVE_VIEWER_TOKEN: viewer },
    });
    const guarded = await startServer({
      store: t.store,
      config,
      clock: t.clock,
      audit: noAudit,
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await page.goto(`${guarded.url}#/overview`);
      await settle(page, null);
      expect(await page.textContent('main')).toMatch(/needs an API token/);
      await page.fill('#token', viewer);
      await act(page, () => page.click('form.token-form button[type="submit"]'));
      expect(await page.textContent('#who')).toMatch(/Viewer/);
      const nav = await page.$$eval('nav a', (as) => as.map((a) => a.textContent));
      expect(nav).not.toContain('Calls');
      expect(nav).not.toContain('Users');
      expect(nav).toContain('Overview');
      expect(await tileValue(page, 'Calls')).toBeGreaterThan(0);
      await page.screenshot({ path: screenshotPath('viewer-overview-1366x768'), fullPage: true });
      await open(page, '#/calls');
      expect(await page.textContent('main')).toMatch(/investigator token/);
      await context.close();
    } finally {
      await guarded.close();
    }
  });

  it('an empty store shows every view with its empty states, not errors', async () => {
    const empty = await filledTestStore({ calls: 0 });
    const bare = await startServer({
      store: empty.store,
      config: loadConfig({ env: {} }),
      audit: noAudit,
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${bare.url}#/overview`);
      await settle(page, null);
      expect(await page.textContent('main')).toMatch(/No calls in this period/);
      for (const view of [
        'calls',
        'users',
        'locations',
        'reliability',
        'feedback',
        'pstn',
        'qer',
        'alerts',
      ]) {
        await open(page, `#/${view}`);
        expect(await page.locator('.notice.error').count(), view).toBe(0);
      }
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await bare.close();
      await empty.dispose();
    }
  });

  it('renders every view without errors, at laptop and desktop sizes (screenshots)', async () => {
    // A user the list shows (the newest call's organizer may be none: a PSTN leg or a record without one).
    const someUser = (await api<UserPage>('/users?limit=1')).users[0].id;
    for (const [w, hgt] of [
      [1366, 768],
      [1920, 1080],
    ]) {
      const page = await newPage(w, hgt);
      for (const view of [
        'overview',
        'calls',
        'users',
        `users/${someUser}`,
        'locations',
        'reliability',
        'feedback',
        'pstn',
        'qer',
        'alerts',
      ]) {
        await open(page, `#/${view}`);
        expect(await page.locator('.notice.error').count(), view).toBe(0);
        expect(await page.locator('main h1').count(), view).toBe(1);
        expect(violations.get(page), view).toEqual([]);
        // Nothing wider than the window: the layout must not need sideways scrolling.
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          view,
        ).toBe(true);
        await page.screenshot({
          path: screenshotPath(`${view.split('/')[0]}${view.includes('/') ? '-detail' : ''}-${w}x${hgt}`),
          fullPage: true,
        });
      }
      await page.context().close();
    }
  });

  it('enforces its Content-Security-Policy: an injected inline script is refused and reported', async () => {
    const page = await newPage();
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'document.body.dataset.injected = "ran"';
      document.body.append(s);
    });
    expect(await page.evaluate(() => document.body.dataset.injected)).toBeUndefined();
    await expect.poll(() => violations.get(page)?.length).toBeGreaterThan(0);
    await page.context().close();
  });
});
