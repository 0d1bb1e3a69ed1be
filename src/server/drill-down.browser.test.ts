// The drill-down in Chromium over the twin's data with its access-point file imported: overview → a building →
// a subnet → an access point → users → a user's calls → the call, the period and filters kept in the URL and in
// the filter bar at each level, and each level's rows adding up to the row that opened it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { parseAccessPointFile } from '../quality/asset-files.ts';
import { noAudit } from '../service/service.ts';
import { type RunningServer, startServer } from './start-server.ts';
import { type TwinStore, twinFilledStore } from './test-app.ts';
import { browserAvailable, launchChromium, screenshotPath } from './test-browser.ts';

let t: TwinStore;
let server: RunningServer;
let browser: Browser;

async function act(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(() => document.querySelector('main')?.dataset.ready ?? null);
  await action();
  await page.waitForFunction((b) => {
    const m = document.querySelector('main');
    return !!m && m.dataset.ready !== undefined && m.dataset.ready !== b && !m.hasAttribute('aria-busy');
  }, before);
}

const count = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));

/** The hash's query as key → value. */
const urlQuery = async (page: Page) =>
  Object.fromEntries(new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1] ?? ''));

/** Streams of each row of a table (the column headed "Streams"), and the link of each row's drill cell. */
async function rowsOf(page: Page, table: string, header = 'Streams') {
  return page.$$eval(
    `table[data-table="${table}"] tbody tr`,
    (trs, head) => {
      const heads = [...(trs[0]?.closest('table')?.querySelectorAll('thead th') ?? [])].map(
        (x) => x.textContent,
      );
      const i = heads.indexOf(head);
      return trs.map((tr) => ({
        value: tr.querySelector('a[data-drill]')?.getAttribute('data-value') ?? null,
        streams: tr.children[i]?.textContent ?? '',
      }));
    },
    header,
  );
}

async function expectBar(page: Page, want: Record<string, string>) {
  for (const [k, v] of Object.entries(want)) expect(await page.inputValue(`#f-${k}`), k).toBe(v);
}

describe.skipIf(!browserAvailable())('drill-down in Chromium', () => {
  beforeAll(async () => {
    t = await twinFilledStore({ seed: 7, users: 30, days: 5 });
    await t.store.assets.replaceAccessPoints(parseAccessPointFile(t.twin.accessPointsCsv()).accessPoints);
    server = await startServer({
      store: t.store,
      config: loadConfig({ env: {} }),
      clock: t.clock,
      host: '127.0.0.1',
      port: 0,
      audit: noAudit,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
  });

  it('clicks from the overview to a building, an access point, a user and a call, the filters kept and adding up', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    await act(page, () => page.goto(`${server.url}#/overview`));
    await act(page, () => page.selectOption('#range-preset', '7d'));

    // Overview → the worst building (its numbers are audio: the link adds media-type=audio).
    const worst = await rowsOf(page, 'worst-buildings');
    expect(worst.length).toBeGreaterThan(0);
    const building = worst[0].value as string;
    await act(page, () => page.click(`table[data-table="worst-buildings"] a[data-drill="building"]`));
    expect(await urlQuery(page)).toMatchObject({
      since: '7d',
      'media-type': 'audio',
      building,
      by: 'subnet',
    });
    await expectBar(page, { 'media-type': 'audio', building });
    expect(await page.inputValue('#range-preset')).toBe('7d');
    const buildingTotal = count(await page.getAttribute('[data-level-total]', 'data-level-total'));
    expect(buildingTotal).toBe(count(worst[0].streams));
    const subnets = await rowsOf(page, 'explore');
    expect(subnets.reduce((a, r) => a + count(r.streams), 0)).toBe(buildingTotal);
    expect(await page.textContent('[data-crumbs]')).toContain(`Building: ${building}`);

    // → a subnet with Wi-Fi (its access points).
    await act(page, () => page.click('table[data-table="explore"] a[data-drill="subnet"]'));
    const subnet = (await urlQuery(page)).subnet;
    expect(await urlQuery(page)).toMatchObject({
      since: '7d',
      'media-type': 'audio',
      building,
      by: 'access-point',
    });
    const subnetTotal = count(await page.getAttribute('[data-level-total]', 'data-level-total'));
    expect(subnetTotal).toBe(count(subnets.find((s) => s.value === subnet)?.streams ?? null));
    const aps = await rowsOf(page, 'explore');
    expect(aps.reduce((a, r) => a + count(r.streams), 0)).toBe(subnetTotal);
    await page.screenshot({ path: screenshotPath('drill-access-points') });

    // → an access point (a named one when the subnet has any) → its users.
    const ap = aps.find((r) => r.value) ?? aps[0];
    await act(page, () =>
      page.click(`table[data-table="explore"] a[data-drill="access-point"][data-value="${ap.value}"]`),
    );
    expect(await urlQuery(page)).toMatchObject({
      since: '7d',
      'media-type': 'audio',
      building,
      subnet,
      'access-point': ap.value ?? '',
    });
    await expectBar(page, { 'media-type': 'audio', building });
    const users = await rowsOf(page, 'users', 'Own streams');
    expect(users.reduce((a, r) => a + count(r.streams), 0)).toBe(count(ap.streams));
    const callsOf = await page.$$eval('table[data-table="users"] tbody tr', (trs) =>
      trs.map((tr) => tr.querySelector('a[data-drill="user"]')?.textContent ?? ''),
    );

    // → the first user's calls under the same filters.
    await act(page, () => page.click('table[data-table="users"] a[data-drill="user"]'));
    const q = await urlQuery(page);
    expect(q).toMatchObject({ since: '7d', 'media-type': 'audio', building, subnet });
    expect(q.user).toBeTruthy();
    expect(count(await page.getAttribute('.pager-status', 'data-total'))).toBe(count(callsOf[0]));
    await expectBar(page, { 'media-type': 'audio', building });

    // → the call; back returns to the list.
    await act(page, () => page.click('table[data-table="calls"] a[data-call]'));
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/calls\/[^?]+\?.*building=/);
    await page.screenshot({ path: screenshotPath('drill-call') });
    await act(page, () => page.goBack());
    expect((await urlQuery(page)).user).toBe(q.user);
  });

  it('charts bucket by the chosen granularity in the chosen zone, the buckets adding up to the totals', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await act(page, () => page.goto(`${server.url}#/overview?since=7d`));
    const calls = Number(await page.getAttribute('[data-tile="Calls"]', 'data-value'));
    const buckets = () =>
      page.$$eval('table[data-chart="per-day"] tbody tr', (trs) =>
        trs.map(
          (tr) =>
            [
              tr.querySelector('th')?.textContent ?? '',
              Number(tr.querySelector('td')?.getAttribute('data-value')),
            ] as const,
        ),
      );
    const days = await buckets();
    await act(page, () => page.selectOption('#f-granularity', 'hour'));
    const hours = await buckets();
    // Hours with calls (the twin's office hours), labelled as hours.
    expect(hours.length).toBeGreaterThan(days.length);
    expect(hours[0][0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00$/);
    expect(hours.reduce((a, [, n]) => a + n, 0)).toBe(calls);
    await act(page, () => page.selectOption('#f-granularity', 'day'));
    await act(page, () => page.selectOption('#f-tz', 'America/Chicago'));
    expect((await urlQuery(page)).tz).toBe('America/Chicago');
    const chicago = await buckets();
    // "The last 7 days" is the same whole hours in any zone: the same calls, in Chicago's days.
    expect(Number(await page.getAttribute('[data-tile="Calls"]', 'data-value'))).toBe(calls);
    expect(chicago.reduce((a, [, n]) => a + n, 0)).toBe(calls);
  });
});
