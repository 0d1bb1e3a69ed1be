// The Alerts view in a real browser (Debian Chromium via playwright-core) against `startServer`: alerts raised by a
// real evaluation over ingested calls; an investigator sees them as the API does, acknowledges and mutes and unmutes
// from the page (the store changes), opens one alert's history; a viewer reads the same view without any control;
// rule thresholds are shown, and no channel secret reaches the page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../alerts/evaluate.ts';
import { type AlertTestDir, alertTestDir, testNow } from '../alerts/test-setup.ts';
import { type Config, loadConfig } from '../config/config.ts';
import { createLogger } from '../config/logger.ts';
import { noAudit } from '../service/service.ts';
import type { Store } from '../store/store.ts';
import type { AlertsOverviewBody } from './api-types.ts';
import { type RunningServer, startServer } from './start-server.ts';
import { fixedClock } from './test-app.ts';
import { browserAvailable, launchChromium, screenshotPath } from './test-browser.ts';

const investigator = 'investigator-token-0123456789';
const viewer = 'viewer-token-0123456789abcdef';
const hookSecret = 'hmac-secret-never-shown-42';
const pathSecret = 'sig-path-token-never-shown';

let t: AlertTestDir;
let store: Store;
let server: RunningServer;
let browser: Browser;
let config: Config;

const api = async <T>(path: string, token = investigator): Promise<T> => {
  const res = await fetch(`${server.url}api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

async function openAs(token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.addInitScript((tok) => sessionStorage.setItem('calltrove.token', tok), token);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${server.url}#/alerts`);
  await page.waitForSelector('main[data-ready]:not([aria-busy]) table[data-table="alerts-rules"]');
  return page;
}

/** Clicks a control that changes an alert and waits for the view to be drawn again from the API. */
async function change(page: Page, click: () => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => document.querySelector('.view')?.getAttribute('data-redrawn'));
  await click();
  await page.waitForFunction(
    (b) => document.querySelector('.view')?.getAttribute('data-redrawn') !== b,
    before ?? null,
  );
}

describe.skipIf(!browserAvailable())('the Alerts view in Chromium', () => {
  beforeAll(async () => {
    t = await alertTestDir();
    store = await t.open();
    const channel = {
      name: 'oncall',
      type: 'webhook' as const,
      url: `http://127.0.0.1:9/hook/${pathSecret}`,
      secret: hookSecret,
    };
    const overrides = (threshold?: number) => ({
      api: {
        tokens: [
          { token: investigator, role: 'investigator' as const },
          { token: viewer, role: 'viewer' as const },
        ],
      },
      alerts: {
        channels: [channel],
        rules: [
          { id: 'poor-audio-cause', enabled: false },
          ...(threshold ? [{ id: 'audio-poor-rate', threshold }] : []),
        ],
      },
    });
    const logger = createLogger('silent');
    // Building Beta's audio is all poor, the organization's about a quarter: both fire at the 3% target...
    await evaluateAlerts({
      store,
      config: loadConfig({ env: {}, overrides: overrides() }),
      now: testNow,
      logger,
    });
    // ...and at 50% the organization resolves (history) while Beta keeps firing.
    config = loadConfig({ env: {}, overrides: overrides(50) });
    await evaluateAlerts({ store, config, now: testNow + 3_600_000, logger });
    server = await startServer({
      store,
      config,
      clock: fixedClock(testNow + 3_600_000),
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
    await store?.close();
    t?.dispose();
  });

  it('shows firing alerts, history, rules with thresholds and channels as the API has them, no secret', async () => {
    const o = await api<AlertsOverviewBody>('/alerts');
    expect(o.active.map((a) => a.scopeKey)).toEqual(['building:Beta']);
    expect(o.history.map((a) => a.scopeKey)).toEqual(['organization']);
    const page = await openAs(investigator);
    const active = await page.$$eval('table[data-table="alerts-active"] a[data-alert]', (l) =>
      l.map((a) => [a.getAttribute('data-alert'), a.textContent]),
    );
    expect(active).toEqual(o.active.map((a) => [String(a.id), a.title]));
    const history = await page.locator('table[data-table="alerts-history"] tbody tr').allTextContents();
    expect(history).toHaveLength(1);
    expect(history[0]).toContain(o.history[0].title);
    // Every rule in force, each with its threshold (50 for the overridden one, the defaults otherwise).
    const thresholds = await page.$$eval('table[data-table="alerts-rules"] [data-threshold]', (l) =>
      l.map((e) => Number(e.getAttribute('data-threshold'))),
    );
    expect(thresholds).toEqual(o.rules.map((r) => r.threshold));
    expect(o.rules.find((r) => r.id === 'audio-poor-rate')?.threshold).toBe(50);
    expect(await page.locator('table[data-table="alerts-rules"]').textContent()).toContain('50%');
    const channels = await page.locator('table[data-table="alerts-channels"] tbody').textContent();
    expect(channels).toContain('oncall');
    expect(channels).toContain('127.0.0.1:9');
    const html = await page.content();
    expect(html).not.toContain(hookSecret);
    expect(html).not.toContain(pathSecret);
    await page.screenshot({ path: screenshotPath('alerts-1366x900'), fullPage: true });
    await page.context().close();
  });

  it('an investigator acknowledges, mutes and unmutes from the page, and the store says so', async () => {
    const page = await openAs(investigator);
    const row = page.locator('table[data-table="alerts-active"] tbody tr').first();
    await change(page, () => row.locator('button[data-action="ack"]').click());
    const acked = await api<AlertsOverviewBody>('/alerts');
    expect(acked.active[0].ackedBy).toMatch(/^token:/);
    expect(await row.locator('[data-acked]').count()).toBe(1);
    await row.locator('select[data-mute-for]').selectOption('24h');
    await change(page, () => row.locator('button[data-action="mute"]').click());
    const muted = await api<AlertsOverviewBody>('/alerts');
    expect(muted.mutes).toHaveLength(1);
    expect(muted.mutes[0]).toMatchObject({ ruleId: 'audio-poor-rate', scopeKey: 'building:Beta' });
    expect(muted.mutes[0].untilAt).toBe(testNow + 3_600_000 + 24 * 3_600_000);
    const mutes = page.locator('table[data-table="alerts-mutes"] tbody tr');
    expect(await mutes.count()).toBe(1);
    expect(await mutes.first().textContent()).toContain('building:Beta');
    await change(page, () => mutes.first().locator('button[data-action="unmute"]').click());
    expect((await api<AlertsOverviewBody>('/alerts')).mutes).toHaveLength(0);
    expect(await page.locator('table[data-table="alerts-mutes"] td.empty').count()).toBe(1);
    // The alert's own page: its history holds the firing and the acknowledgement.
    await page.locator('table[data-table="alerts-active"] a[data-alert]').first().click();
    await page.waitForSelector('table[data-table="alert-events"]');
    const kinds = await page.$$eval('table[data-table="alert-events"] tbody tr td:nth-child(2)', (c) =>
      c.map((x) => x.textContent),
    );
    expect(kinds).toEqual(expect.arrayContaining(['fired', 'acknowledged']));
    expect(await page.getAttribute('[data-alert-state]', 'data-alert-state')).toBe('firing');
    await page.context().close();
  });

  it('a viewer reads the same alerts with no control to change them', async () => {
    const o = await api<AlertsOverviewBody>('/alerts', viewer);
    expect(o.canHandle).toBe(false);
    const page = await openAs(viewer);
    expect(await page.locator('table[data-table="alerts-active"] a[data-alert]').count()).toBe(
      o.active.length,
    );
    expect(await page.locator('[data-read-only]').count()).toBe(1);
    expect(await page.locator('button[data-action]').count()).toBe(0);
    expect(await page.locator('select[data-mute-for]').count()).toBe(0);
    // The navigation offers the view to every role.
    expect(await page.locator('nav a[href^="#/alerts"]').count()).toBe(1);
    await page.context().close();
  });
});
