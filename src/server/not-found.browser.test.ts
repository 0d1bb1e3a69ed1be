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
    for (const hash of ['#/no-such-view', '#/locations/x', '#/calls/00000000-no-such-call']) {
      await show(page, hash);
      expect(await page.textContent('main h1'), hash).toBe('Not found');
      expect(await page.$('[data-tile="Calls"]'), hash).toBeNull();
    }
    expect(await page.textContent('[data-not-found]')).toContain('no call with id 00000000-no-such-call');
    await show(page, '#/calls');
    expect(await page.$('[data-not-found]')).toBeNull();
  });
});
