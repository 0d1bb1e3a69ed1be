// The dashboard's "not found" answers in Chromium: an unknown view, an id under a view without details, an unknown
// call and an unknown user each get a page saying so, never the overview or an empty profile.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { noAudit } from '../service/service.ts';
import { type RunningServer, startServer } from './start-server.ts';
import { filledTestStore, fixedClock, type TestStore } from './test-app.ts';
import { browserAvailable, launchChromium } from './test-browser.ts';

let t: TestStore;
let server: RunningServer;
let browser: Browser;

async function show(page: Page, hash: string): Promise<void> {
  const before = await page.evaluate(() => document.querySelector('main')?.dataset.ready ?? null);
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((b) => {
    const m = document.querySelector('main');
    return !!m && m.dataset.ready !== undefined && m.dataset.ready !== b && !m.hasAttribute('aria-busy');
  }, before);
}

describe.skipIf(!browserAvailable())('not-found pages in Chromium', () => {
  beforeAll(async () => {
    t = await filledTestStore({ calls: 20 });
    server = await startServer({
      store: t.store,
      config: loadConfig({ env: {} }),
      clock: fixedClock(),
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

  it('says "Not found" for an unknown route, a detail under a list-only view, an unknown call', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}#/overview`);
    await page.waitForSelector('main[data-ready]');
    for (const hash of [
      '#/no-such-view',
      '#/locations/x',
      '#/calls/00000000-no-such-call',
      '#/users/no-such-user',
    ]) {
      await show(page, hash);
      expect(await page.textContent('main h1'), hash).toBe('Not found');
      expect(await page.$('[data-tile="Calls"]'), hash).toBeNull();
    }
    expect(await page.textContent('[data-not-found]')).toContain('no user with id no-such-user');
    await show(page, '#/calls/00000000-no-such-call');
    expect(await page.textContent('[data-not-found]')).toContain('no call with id 00000000-no-such-call');
    await show(page, '#/calls');
    expect(await page.$('[data-not-found]')).toBeNull();
  });

  it("a user's page: calls taken part in equal the list's total, own streams stated, tenant filter", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}#/overview`);
    await page.waitForSelector('main[data-ready]');
    await show(page, '#/users?since=all');
    expect(await page.textContent('[data-note="own-streams"]')).toMatch(/client end/);
    expect(await page.$$eval('#u-tenant option', (o) => o.map((x) => x.getAttribute('value')))).toEqual(
      expect.arrayContaining(['', 'home', 'guests']),
    );
    const link = page.locator('table[data-table="users"] tbody a').first();
    await show(page, (await link.getAttribute('href')) as string);
    const calls = Number(await page.getAttribute('[data-tile="Calls"]', 'data-value'));
    expect(calls).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('.pager-status', 'data-total'))).toBe(calls);
    expect(await page.textContent('[data-note="own-streams"]')).toMatch(/this user's own/);
    expect(
      await page.$$eval('table[data-table="calls"] thead th', (t) => t.map((x) => x.textContent)),
    ).toEqual(expect.arrayContaining(['Own streams', 'Own poor']));
    await page.context().close();
  });
});
