// "Where is the problem?" in Chromium over the twin's data (access-point file imported): the page lists the causes
// and changes the API answers, in its order and with its counts; a cause opens its users with its values as filters
// kept in the URL and the filter bar; a filter narrows the causes; the back button returns to the page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CausesAnswer, ChangesAnswer } from '../analytics/cause-types.ts';
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

const count = (s: string | null) => Number((s ?? '').replace(/[^\d.]/g, ''));
const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(new URL(`api/v1${path}`, server.url));
  const body = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${body}`);
  return JSON.parse(body) as T;
};
const urlQuery = async (page: Page) =>
  Object.fromEntries(new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1] ?? ''));

/** The causes table as shown: each row's cause dimensions and values, classified and poor streams. */
const shownCauses = (page: Page) =>
  page.$$eval('table[data-table="causes"] tbody tr', (trs) =>
    trs
      .filter((tr) => tr.querySelector('[data-cause]'))
      .map((tr) => {
        const cell = tr.querySelector('[data-cause]') as HTMLElement;
        return {
          dimensions: cell.dataset.cause ?? '',
          values: cell.dataset.values ?? '',
          classified: tr.children[2]?.textContent ?? '',
          poor: tr.children[3]?.textContent ?? '',
        };
      }),
  );

describe.skipIf(!browserAvailable())('the "Where is the problem?" page in Chromium', () => {
  beforeAll(async () => {
    // Ten days: the client version the twin rolls out five days before the end has a baseline before it.
    t = await twinFilledStore({ seed: 7, users: 40, days: 10 });
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
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
  });

  it('shows the causes and changes the API gives, and a cause opens its users with its values kept', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    await act(page, () => page.goto(`${server.url}#/causes?since=30d`));
    const want = await api<CausesAnswer>('/causes?since=30d&limit=20');
    expect(want.causes.length).toBeGreaterThan(0);
    expect(count(await page.getAttribute('[data-scope-classified]', 'data-scope-classified'))).toBe(
      want.scope.classifiedStreams,
    );
    const shown = await shownCauses(page);
    expect(shown.map((r) => [r.dimensions, r.values, count(r.classified), count(r.poor)])).toEqual(
      want.causes.map((c) => [
        c.dimensions.join('+'),
        c.values.join('+'),
        c.classifiedStreams,
        c.poorStreams,
      ]),
    );

    const changes = await api<ChangesAnswer>('/changes');
    const sections = await page.$$eval('section[data-change]', (ss) =>
      ss.map((s) => ({
        metric: s.getAttribute('data-change'),
        media: s.getAttribute('data-media'),
        drivers: [...s.querySelectorAll('a[data-driver]')].map((a) => a.getAttribute('data-values')),
      })),
    );
    expect(sections).toEqual(
      changes.changes.map((c) => ({
        metric: c.metric,
        media: c.mediaType.join(','),
        drivers: c.drivers.map((d) => d.values.join('+')),
      })),
    );
    // The twin rolls a client version out that breaks video: video's poor % is among the changes.
    expect(sections.some((s) => s.metric === 'poor-percent' && s.media === 'video')).toBe(true);
    await page.screenshot({ path: screenshotPath('causes'), fullPage: true });

    // The first single-value cause that is not an hour opens its users, its value a filter of the URL.
    const first = want.causes.find((c) => c.dimensions.length === 1 && c.dimensions[0] !== 'hour-of-day');
    expect(first).toBeDefined();
    const c = first as NonNullable<typeof first>;
    const row = `table[data-table="causes"] tr:has([data-cause="${c.dimensions[0]}"][data-values="${c.values[0]}"])`;
    await act(page, () => page.click(`${row} a[data-link="users"]`));
    expect(viewOf(await page.evaluate(() => location.hash))).toBe('users');
    expect(await urlQuery(page)).toMatchObject({ 'media-type': 'audio', [c.dimensions[0]]: c.values[0] });
    await expect(page.inputValue('#f-media-type')).resolves.toBe('audio');
    const own = await page.$$eval('table[data-table="users"] tbody tr', (trs) => trs.length);
    expect(own).toBeGreaterThan(0);

    // Back returns to the page as it was.
    await act(page, () => page.goBack());
    expect(viewOf(await page.evaluate(() => location.hash))).toBe('causes');
    expect((await shownCauses(page)).length).toBe(shown.length);
  });

  it('narrows the causes with the filter bar: video shows the video causes the API ranks', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await act(page, () => page.goto(`${server.url}#/causes?since=30d`));
    await act(page, () => page.selectOption('#f-media-type', 'video'));
    expect(await urlQuery(page)).toMatchObject({ 'media-type': 'video' });
    const want = await api<CausesAnswer>('/causes?since=30d&limit=20&media-type=video');
    expect((await shownCauses(page)).map((r) => `${r.dimensions}=${r.values}`)).toEqual(
      want.causes.map((c) => `${c.dimensions.join('+')}=${c.values.join('+')}`),
    );
    const truth = (await (await t.twin.fetch(new Request('https://twin.test/_twin/truth'))).json()) as {
      causes: { media?: string; dimension: string; value: string }[];
    };
    const rollout = truth.causes.find((x) => x.media === 'video');
    expect(
      (await shownCauses(page)).slice(0, 3).some((r) => r.values === rollout?.value),
      'the rolled-out version in the top 3',
    ).toBe(true);
  });
});

/** The view of a hash: `#/users?x` → users. */
function viewOf(hash: string): string {
  return hash.replace(/^#\//, '').split(/[/?]/)[0];
}
