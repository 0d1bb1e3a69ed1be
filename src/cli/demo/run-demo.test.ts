// The demo wires the twin, the collector and the dashboard together: a small one must end up serving what it collected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../config/logger.ts';
import { rawRequest } from '../../http/test-raw-http.ts';
import { type RunningDemo, startDemo } from './run-demo.ts';

describe('startDemo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-demo-'));
  let demo: RunningDemo | undefined;
  afterAll(async () => {
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects the twin tenant through Graph and serves it on the dashboard API', async () => {
    const progress: number[] = [];
    demo = await startDemo({
      env: {},
      dataDir: dir,
      seed: 7,
      users: 12,
      days: 2,
      speed: 1,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      onProgress: (stored) => progress.push(stored),
      // The browser tests build the dashboard; two builds at once would race on dist/web.
      buildDashboard: false,
    });
    const { stored, listed } = await demo.backfilled;
    expect(listed).toBeGreaterThan(0);
    expect(stored).toBeGreaterThanOrEqual(listed);
    expect(progress.at(-1)).toBe(listed);

    // Everything the twin says this tenant can read is in the store, at its version or newer.
    const truth = (await (await demo.twin.fetch(new Request('https://twin/_twin/truth'))).json()) as {
      tenants: Record<string, { id: string; version: number }[]>;
    };
    const mine = truth.tenants[demo.twin.homeTenantId] ?? [];
    const rows = await demo.store.db.all<{ id: string; version: number }>('SELECT id, version FROM calls');
    const storedIds = new Set(rows.map((r) => r.id));
    expect(mine.filter((r) => !storedIds.has(r.id))).toEqual([]);

    const calls = await fetch(new URL('api/v1/calls?limit=5', demo.url));
    expect(calls.status).toBe(200);
    const body = (await calls.json()) as { calls: unknown[]; total: number };
    expect(body.calls.length).toBe(Math.min(5, body.total));
    expect(body.total).toBe(rows.length);

    // The twin's access-point and endpoint files are imported next to its building file.
    const apRows = demo.twin.accessPointsCsv().trim().split('\n').length - 1;
    expect((await demo.store.assets.accessPoints()).length).toBe(apRows);
    const endpointRows = demo.twin.endpointsCsv().trim().split('\n').length;
    expect((await demo.store.assets.endpoints()).length).toBe(endpointRows);

    // Both of its listeners refuse a page that rebinds its own name to 127.0.0.1 (DNS rebinding).
    const dashboardPort = Number(new URL(demo.url).port);
    const webhookPort = demo.collector.address?.port ?? 0;
    for (const [port, path] of [
      [dashboardPort, '/api/v1/calls'],
      [webhookPort, '/metrics'],
      [webhookPort, '/api/v1/health'],
    ] as const) {
      expect((await rawRequest(port, { path, host: 'attacker.example' })).status, path).toBe(421);
      expect((await rawRequest(port, { path, host: `127.0.0.1:${port}` })).status, path).toBe(200);
    }
  });
});
