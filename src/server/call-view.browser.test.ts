// The call view in Chromium for a Wi-Fi call in a mapped building: the client's building, inside/outside and
// access point in the Network group, and red/yellow values exactly where the thresholds put them, each with its
// rule as a tooltip; an unclassified stream says why; a long meeting is searched and paged.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wifiAccessPoint, wifiBssid, wifiCallId, wifiCallRecord } from '../analytics/test-wifi-call.ts';
import { loadConfig } from '../config/config.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseAccessPointFile } from '../quality/asset-files.ts';
import { noAudit } from '../service/service.ts';
import { type RunningServer, startServer } from './start-server.ts';
import { filledTestStore, fixedClock, type TestStore } from './test-app.ts';
import { browserAvailable, launchChromium, screenshotPath } from './test-browser.ts';
import { testTenantId } from './test-records.ts';

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

/** The caller and callee cells of a row of the ends table. */
const row = (page: Page, label: string) =>
  page.$$eval(`table.ends tr[data-row="${label}"] td`, (cells) => cells.map((c) => c.textContent));

describe.skipIf(!browserAvailable())('call view in Chromium', () => {
  beforeAll(async () => {
    t = await filledTestStore({ calls: 10 });
    await ingestRecord(t.store, wifiCallRecord(), { source: 'wifi', tenantId: testTenantId, receivedAt: 0 });
    // The access-point file names Ada's BSSID (spelled with dashes, as controllers export it).
    const a = wifiAccessPoint;
    await t.store.assets.replaceAccessPoints(
      parseAccessPointFile(`${wifiBssid.replaceAll(':', '-')},${a.name},${a.building},${a.floor}`)
        .accessPoints,
    );
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

  it('shows building, inside/outside and the values past the thresholds in red and yellow', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    await page.goto(`${server.url}#/overview`);
    await page.waitForSelector('main[data-ready]');
    await show(page, `#/calls/${wifiCallId}`);
    // The groups, in the admin center's order.
    expect(
      await page.$$eval('table.ends tbody[data-group]', (g) => g.map((x) => x.getAttribute('data-group'))),
    ).toEqual(['Device', 'System', 'Connectivity', 'Network']);
    expect(await row(page, 'Building')).toEqual(['Amsterdam HQ', 'not in the building file']);
    expect(await row(page, 'Inside corp')).toEqual(['inside', 'outside (subnet not in the building file)']);
    // The access point's name (never the bare BSSID) in the Network group.
    expect(
      await page.$$eval('table.ends tbody[data-group="Network"] tr[data-row="Access point"] td', (cells) =>
        cells.map((c) => c.textContent),
      ),
    ).toEqual([`${wifiAccessPoint.name} (floor ${wifiAccessPoint.floor})`, '–']);
    expect(await row(page, 'Wi-Fi signal')).toEqual(['62%', '–']);
    expect(await row(page, 'Link speed')).toEqual(['866 Mbit/s', '1000 Mbit/s']);
    expect(await row(page, 'CPU speed')).toEqual(['2995 MHz', '2995 MHz']);
    expect(await row(page, 'Microphone')).toEqual(['not functioning (2%)', '–']);
    // Red and yellow where the thresholds say, each with the rule on hover.
    const flags = await page.$$eval('[data-flag]', (els) =>
      els.map((e) => [
        e.closest('tr')?.getAttribute('data-stream') ?? e.closest('tr')?.getAttribute('data-row'),
        e.getAttribute('data-metric'),
        e.getAttribute('data-flag'),
        e.getAttribute('title'),
      ]),
    );
    const find = (where: string, metric: string) => flags.find(([w, m]) => w === where && m === metric);
    expect(find('ada-to-bob', 'averageJitter')?.slice(2)).toEqual([
      'poor',
      expect.stringContaining('jitter > 30 ms is poor'),
    ]);
    expect(find('ada-to-bob', 'averagePacketLossRate')?.[2]).toBe('watch');
    expect(find('bob-to-ada', 'averageJitter')?.[2]).toBe('poor');
    expect(find('Wi-Fi signal', 'wifiSignalStrength')?.slice(2)).toEqual([
      'watch',
      expect.stringContaining('Wi-Fi signal < 70%'),
    ]);
    expect(find('Microphone', 'captureNotFunctioningEventRatio')?.[2]).toBe('poor');
    expect(find('ada-to-bob', 'averageRoundTripTime')).toBeUndefined();
    expect(flags.filter(([, , level]) => level === 'poor')).toHaveLength(3);
    // Colours really differ: red for poor, yellow for watch.
    const colours = await page.$$eval('[data-flag="poor"], [data-flag="watch"]', (els) =>
      els.map((e) => [e.getAttribute('data-flag'), getComputedStyle(e).backgroundColor]),
    );
    expect(new Set(colours.filter(([l]) => l === 'poor').map(([, c]) => c))).toEqual(
      new Set(['rgb(254, 226, 226)']),
    );
    expect(new Set(colours.filter(([l]) => l === 'watch').map(([, c]) => c))).toEqual(
      new Set(['rgb(254, 243, 199)']),
    );
    // The short stream with 57 ms jitter says why it is unclassified.
    expect(await page.textContent('tr[data-stream="bob-to-ada"] td.reasons')).toContain(
      'fewer than 1000 packets',
    );
    // Who had the problem: Bob received the poor stream.
    expect(await page.textContent('table[data-table="participant-quality"] tbody tr:first-child')).toContain(
      'Bob Home',
    );
    await page.screenshot({ path: screenshotPath('call-wifi-1600x900'), fullPage: true });
    await page.context().close();
  });

  it('a long meeting: a time axis, sessions paged 25 at a time, a participant found by name', async () => {
    const at = (sec: number) => new Date(Date.UTC(2025, 2, 12, 10, 0, sec)).toISOString();
    const mcu = {
      '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
      userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role: 'mcu' },
    };
    const person = (n: number) => ({
      '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
      userAgent: { '@odata.type': '#microsoft.graph.callRecords.clientUserAgent', platform: 'windows' },
      associatedIdentity: { id: `p${n}`, displayName: `Person Number ${n} With A Long Name` },
    });
    const sessions = Array.from({ length: 60 }, (_, n) => ({
      id: `s${n}`,
      startDateTime: at(n * 10),
      endDateTime: at(3000),
      caller: person(n),
      callee: mcu,
      segments: [],
    }));
    await ingestRecord(
      t.store,
      {
        id: 'long-meeting',
        version: 1,
        type: 'groupCall',
        startDateTime: at(0),
        endDateTime: at(3000),
        sessions,
      },
      { source: 'test', tenantId: testTenantId, receivedAt: 0 },
    );
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}#/overview`);
    await page.waitForSelector('main[data-ready]');
    await show(page, '#/calls/long-meeting');
    expect(await page.$$eval('.timeline-axis .tick', (ticks) => ticks.map((k) => k.textContent))).toEqual([
      '10:00',
      '10:10',
      '10:20',
      '10:30',
      '10:40',
      '10:50',
    ]);
    expect(await page.locator('ol.timeline li').count()).toBe(25);
    expect(await page.locator('details.session').count()).toBe(25);
    // Full names on hover, whatever the label's width cuts.
    expect(await page.getAttribute('ol.timeline li:first-child .timeline-label', 'title')).toBe(
      'Person Number 0 With A Long Name → service (mcu)',
    );
    await page.click('text=Next sessions →');
    expect(await page.textContent('ol.timeline li:first-child .timeline-label')).toContain(
      'Person Number 25 ',
    );
    await page.fill('#call-q', 'number 42 ');
    await page.locator('#call-q').dispatchEvent('input');
    expect(await page.locator('ol.timeline li').count()).toBe(1);
    expect(await page.locator('details.session').count()).toBe(1);
    expect(await page.textContent('table[data-table="participant-quality"] tbody')).toContain(
      'Person Number 42',
    );
    expect(await page.locator('table[data-table="participant-quality"] tbody tr').count()).toBe(1);
    await page.context().close();
  });
});
